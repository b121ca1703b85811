// `tandem/next-headers`, what the build gives an app's `next/headers` imports: the request's
// cookies and headers (Server Components, Server Actions, route handlers) and draft mode.
export { cookies, headers } from "../pages/request-context.js";
export { draftMode, type DraftMode } from "../pages/draft-mode.js";
