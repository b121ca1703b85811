/** Request headers between Tandem's browser entry and renderPage. */
export const ACTION_HEADER = "x-tandem-action";
/** Asks for the RSC payload instead of HTML (client navigation, refresh, action calls). */
export const RSC_HEADER = "x-tandem-rsc";
export const RSC_CONTENT_TYPE = "text/x-component;charset=utf-8";
/**
 * On a prefetch's RSC request: "auto" (a plain `<Link>`) or "full". A dynamic page answers an
 * "auto" prefetch with 204 and renders nothing: as in Next.js, its data is fetched on navigation.
 */
export const PREFETCH_HEADER = "x-tandem-prefetch";
