import { TandemError } from "../../errors/http-error.js";

/**
 * How middleware tells the app to continue or rewrite: a plain-data property of the
 * Response it returns, under a registered symbol (decision 0006).
 *
 * Not a header: a client can send any header (Next.js CVE-2025-29927 trusted
 * `x-middleware-subrequest`), and middleware that returns a fetched response would hand an
 * upstream server the headers it chose. A symbol-keyed property travels over no wire.
 * Not module state (a WeakMap, a private field): a second copy of this module (Vite's dev
 * runner, an app bundle, a library that bundles its own `next/server`) could not see it. Every
 * copy spells the key the same way, as React's elements do with `$$typeof`.
 */
const SIGNAL = Symbol.for("tandem.middleware.signal");

export type MiddlewareSignal =
  | { readonly kind: "next"; readonly requestHeaders?: Headers }
  /** `destination`: a path starting with "/" (this app), or an absolute URL checked against the request's origin. */
  | { readonly kind: "rewrite"; readonly destination: string; readonly requestHeaders?: Headers };

export function setMiddlewareSignal<R extends Response>(response: R, signal: MiddlewareSignal): R {
  (response as unknown as Record<symbol, MiddlewareSignal>)[SIGNAL] = signal;
  return response;
}

export function getMiddlewareSignal(response: Response): MiddlewareSignal | undefined {
  return (response as unknown as Record<symbol, MiddlewareSignal | undefined>)[SIGNAL];
}

/**
 * The path a rewrite serves. Relative targets stay on the request's origin; an absolute URL must
 * name that origin: Tandem never proxies to other hosts (CVE-2024-34351).
 */
export function rewritePath(destination: string, requestUrl: () => string): string {
  if (destination.startsWith("/") && !destination.startsWith("//") && !destination.startsWith("/\\")) {
    return new URL(destination, "http://localhost").pathname;
  }
  const target = new URL(destination);
  // The request's URL is read only here: a server request builds its absolute URL on first read.
  const origin = new URL(requestUrl()).origin;
  if (target.origin !== origin) {
    throw new TandemError(
      "TND_ERR_MIDDLEWARE_REWRITE",
      `Middleware rewrote to ${target.origin}, another origin than the request's (${origin}); ` +
        "rewrites only serve paths of this app, use a redirect to send clients elsewhere",
    );
  }
  return target.pathname;
}
