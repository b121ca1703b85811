/**
 * How middleware tells the app to continue or rewrite.
 * The signal lives in a WeakMap keyed by the Response object, never in headers: a client can send
 * any header it likes (Next.js CVE-2025-29927 trusted `x-middleware-subrequest`), but it cannot
 * reach this map.
 */
export type MiddlewareSignal =
  | { kind: "next"; requestHeaders?: Headers }
  | { kind: "rewrite"; url: URL; requestHeaders?: Headers };

const signals = new WeakMap<Response, MiddlewareSignal>();

export function setMiddlewareSignal(response: Response, signal: MiddlewareSignal): Response {
  signals.set(response, signal);
  return response;
}

export function getMiddlewareSignal(response: Response): MiddlewareSignal | undefined {
  return signals.get(response);
}
