/**
 * The `tandem/next-server` subpath; the build aliases `next/server` here so Next.js middleware and
 * route handlers run unchanged. Not provided: connection(). An entry file: ImageResponse is
 * next/og's (og/), re-exported as Next.js still does.
 */
import type { NextFetchEvent } from "../app/middleware/event.js";
import type { NextRequest } from "./next-request.js";
import type { NextResponse } from "./next-response.js";

export { NextRequest } from "./next-request.js";
export { NextResponse } from "./next-response.js";
export { NextURL } from "./next-url.js";
export { RequestCookies, ResponseCookies, type RequestCookie, type ResponseCookie } from "./cookies.js";
export { NextFetchEvent } from "../app/middleware/event.js";
export { userAgent, userAgentFromString, type UserAgent } from "./user-agent.js";
export { URLPattern } from "./url-pattern.js";
export { after } from "../app/after.js";
export { ImageResponse } from "../og/image-response.js";
export type { MiddlewareResponseInit } from "../app/middleware/helpers.js";

export type NextMiddlewareResult = NextResponse | Response | null | undefined | void;

/** The type of a middleware.ts function. */
export type NextMiddleware = (request: NextRequest, event: NextFetchEvent) => NextMiddlewareResult | Promise<NextMiddlewareResult>;

/** Next.js 16's name for the same function in proxy.ts. */
export type NextProxy = NextMiddleware;

export interface MiddlewareMatcherCondition {
  type: "header" | "cookie" | "query" | "host";
  key?: string;
  value?: string;
}

/** The `config` export of middleware.ts/proxy.ts. */
export interface MiddlewareConfig {
  matcher?:
    | string
    | ReadonlyArray<
        string | { source: string; has?: MiddlewareMatcherCondition[]; missing?: MiddlewareMatcherCondition[]; locale?: false }
      >;
  [key: string]: unknown;
}
