import { TandemError } from "../../errors/http-error.js";
import { setMiddlewareSignal } from "./signals.js";

/** Next.js's MiddlewareResponseInit, with HeadersInit accepted wherever Next.js takes Headers. */
export interface MiddlewareResponseInit extends ResponseInit {
  /** The request headers the route handler sees instead of the client's (the whole set, not a patch). */
  request?: { headers?: HeadersInit };
}

function responseInit(init: MiddlewareResponseInit | undefined): ResponseInit | undefined {
  // The Response constructor reads only status, statusText and headers: no copy needed without `request`.
  if (init?.request === undefined) return init;
  const { request: _request, ...rest } = init;
  return rest;
}

function requestHeaders(init: MiddlewareResponseInit | undefined): Headers | undefined {
  const headers = init?.request?.headers;
  return headers === undefined ? undefined : new Headers(headers);
}

/** Marks an existing response (e.g. a NextResponse) as "continue to the route". */
export function markNext<R extends Response>(response: R, init?: MiddlewareResponseInit): R {
  setMiddlewareSignal(response, { kind: "next", requestHeaders: requestHeaders(init) });
  return response;
}

/** Marks an existing response as "serve this other path of the app instead". */
export function markRewrite<R extends Response>(response: R, url: string | URL, init?: MiddlewareResponseInit): R {
  setMiddlewareSignal(response, { kind: "rewrite", destination: toDestination(url), requestHeaders: requestHeaders(init) });
  return response;
}

/** A rewrite target as data: a path of this app, or an absolute URL (its origin is checked per request). */
function toDestination(url: string | URL): string {
  if (url instanceof URL) return url.href;
  if (typeof url === "string") {
    if (URL.canParse(url)) return new URL(url).href;
    // "//host/x" is a URL on another host, not a path.
    if (url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\")) return url;
  }
  throw new TandemError(
    "TND_ERR_MIDDLEWARE_REWRITE",
    `rewrite() needs a path starting with "/" or an absolute URL of this app, got ${JSON.stringify(String(url))}`,
  );
}

/** Middleware continues to the matched route; response headers given here are added to its response. */
export function next(init?: MiddlewareResponseInit): Response {
  return markNext(new Response(null, responseInit(init)), init);
}

/**
 * Serves another path of the same app (the browser's URL does not change). Same origin only:
 * Tandem never proxies to other hosts (see CVE-2024-34351), so a foreign origin fails the request.
 */
export function rewrite(url: string | URL, init?: MiddlewareResponseInit): Response {
  return markRewrite(new Response(null, responseInit(init)), url, init);
}
