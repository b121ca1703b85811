/**
 * Cache-Control of every answer rendered per request for a browser (pages, their RSC payloads,
 * 404 and 500 pages): Next.js's value. Such a page may show one user's data, so no shared cache
 * may keep it, and browsers ask again each time.
 */
export const DYNAMIC_CACHE_CONTROL = "private, no-cache, no-store, max-age=0, must-revalidate";
