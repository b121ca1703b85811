import { defineErrors } from "./define.js";

export const pagesErrors = defineErrors({
  TND_ERR_PAGES_NO_REQUEST_CONTEXT: {
    status: 500,
    description:
      "cookies(), headers() or currentRequest() was called outside a request; call it from a Server Component, a Server Action or a route handler.",
  },
  TND_ERR_PAGES_COOKIES_READONLY: {
    status: 500,
    description:
      "cookies().set() or delete() was called while a Server Component rendered; set cookies in a Server Action or route handler.",
  },
  TND_ERR_PAGES_HEADERS_READONLY: {
    status: 500,
    description: "The object returned by headers() was modified; it is read-only, set response headers in a route handler or middleware.",
  },
  TND_ERR_PAGES_INVALID_MODULE: {
    status: 500,
    description:
      "A page.tsx, layout.tsx or special file has no default export component (or its metadata export has the wrong type); fix the named file.",
  },
  TND_ERR_PAGES_RENDER_FAILED: {
    status: 500,
    description: "A page threw while rendering its first bytes and no error.tsx handled it; the server log has the error.",
  },
  TND_ERR_PAGES_NOT_FOUND: { status: 404, description: "The page called notFound() or its data does not exist." },
  TND_ERR_PAGES_INVALID_METADATA_ROUTE: {
    status: 500,
    description: "app/sitemap.ts or app/robots.ts has no default export, or it returned a value of the wrong shape.",
  },
  TND_ERR_PAGES_STATIC_PARAMS: {
    status: 500,
    description: "generateStaticParams() of a force-static page did not return an array of params objects.",
  },
  TND_ERR_ACTION_METHOD_NOT_ALLOWED: { status: 405, description: "A Server Action was called with a method other than POST." },
  TND_ERR_ACTION_FORBIDDEN_ORIGIN: {
    status: 403,
    description: "The Origin header of a Server Action request is neither the app's origin nor in allowedOrigins of tandem.config.ts.",
  },
  TND_ERR_ACTION_CROSS_SITE: {
    status: 403,
    description: "A Server Action request had no Origin header and Sec-Fetch-Site said it came from another site.",
  },
  TND_ERR_ACTION_NO_ORIGIN: {
    status: 403,
    description:
      "A Server Action request had neither an Origin header nor Sec-Fetch-Site: same-origin. Browsers send one; a script sends `Origin: <the app's origin>`, or the app sets actions.allowMissingOrigin.",
  },
  TND_ERR_ACTION_TOO_LARGE: {
    status: 413,
    description: "The Server Action request body is larger than server.bodyLimit of tandem.config.ts (1 MiB by default).",
  },
  TND_ERR_ACTION_UNSUPPORTED_TYPE: {
    status: 415,
    description: "A Server Action request body is neither text/plain nor multipart/form-data nor urlencoded.",
  },
  TND_ERR_ACTION_NOT_FOUND: {
    status: 404,
    description: "The Server Action id in the request is unknown (for example after a deploy); reload the page.",
  },
  TND_ERR_ACTION_BAD_PAYLOAD: {
    status: 400,
    description: "The Server Action arguments are malformed, too deep, too large, cyclic or reference prototype properties.",
  },
});
