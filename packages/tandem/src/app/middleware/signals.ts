import { FastResponse } from "../../server/fast-response.js";

/**
 * How middleware tells the app to continue or rewrite.
 * The signal lives in a private field of the Response (Tandem's own responses) or a WeakMap keyed
 * by it (any other Response), never in headers: a client can send any header it likes (Next.js
 * CVE-2025-29927 trusted `x-middleware-subrequest`), but it cannot reach either.
 */
export type MiddlewareSignal = { kind: "next"; requestHeaders?: Headers } | { kind: "rewrite"; url: URL; requestHeaders?: Headers };

const signals = new WeakMap<Response, MiddlewareSignal>();

export function setMiddlewareSignal(response: Response, signal: MiddlewareSignal): Response {
  // The private field first: a WeakMap entry per request makes every garbage collection pass slower.
  if (!FastResponse.setNote(response, signal)) signals.set(response, signal);
  return response;
}

export function getMiddlewareSignal(response: Response): MiddlewareSignal | undefined {
  return (FastResponse.noteOf(response) as MiddlewareSignal | undefined) ?? signals.get(response);
}
