import { randomUUID, timingSafeEqual } from "node:crypto";
import { TandemError } from "../../errors/http-error.js";
import { FastResponse, isHeaderRecord } from "../../server/fast-response.js";

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

/**
 * The signal as a header too, for middleware that answers a copy of what `next()` gave it:
 * Auth.js returns `new Response(response.body, response)`, which copies status and headers and
 * nothing else, as Next.js's own `x-middleware-next` header expects. The value starts with a
 * random token of this process, so neither a client nor a server whose response middleware
 * passes on can make one (decision 0006); the app removes the header wherever it reads one.
 */
export const SIGNAL_HEADER = "x-tandem-middleware";

// Every copy of this module in the process must agree on the token, as on SIGNAL.
const TOKEN_KEY = Symbol.for("tandem.middleware.token");
const token: string = ((globalThis as Record<symbol, unknown>)[TOKEN_KEY] ??= randomUUID()) as string;
const tokenBytes = Buffer.from(token);

export function setMiddlewareSignal<R extends Response>(response: R, signal: MiddlewareSignal): R {
  (response as unknown as Record<symbol, MiddlewareSignal>)[SIGNAL] = signal;
  const plain = FastResponse.plain(response);
  // A plain response gets the header only if its Headers are ever built: the app's own path
  // reads the property and never builds them.
  if (plain !== undefined && plain.headers === undefined) plain.late = () => [SIGNAL_HEADER, encodeSignal(signal)];
  else response.headers.set(SIGNAL_HEADER, encodeSignal(signal));
  return response;
}

/** The signal `next()`/`rewrite()` put on this very Response (never read from headers). */
export function getMiddlewareSignal(response: Response): MiddlewareSignal | undefined {
  return (response as unknown as Record<symbol, MiddlewareSignal | undefined>)[SIGNAL];
}

/**
 * The signal of a response middleware returned: its own property, else a header with this
 * process's token (a copy of a marked response), which is then removed from that response.
 */
export function readMiddlewareSignal(response: Response): MiddlewareSignal | undefined {
  const own = getMiddlewareSignal(response);
  if (own !== undefined) return own;
  const value = response.headers.get(SIGNAL_HEADER);
  if (value === null) return undefined;
  const signal = decodeSignal(value);
  if (signal === undefined) return undefined;
  try {
    response.headers.delete(SIGNAL_HEADER);
  } catch {
    // Immutable headers (a fetch() response): merging skips the header all the same.
  }
  return signal;
}

/** Whether a response carries a header made by `next()`/`rewrite()` (a route handler's copy of one). */
export function hasSignalHeader(response: Response): boolean {
  const plain = FastResponse.plain(response);
  // Headers given as a record (or none) hold the header only if app code wrote this process's
  // token into one; checking them would build a Headers object for every response.
  if (plain !== undefined && plain.headers === undefined && (plain.init === undefined || isHeaderRecord(plain.init))) return false;
  const value = response.headers.get(SIGNAL_HEADER);
  return value !== null && decodeSignal(value) !== undefined;
}

function encodeSignal(signal: MiddlewareSignal): string {
  const data: { kind: string; destination?: string; requestHeaders?: Array<[string, string]> } = { kind: signal.kind };
  if (signal.kind === "rewrite") data.destination = signal.destination;
  if (signal.requestHeaders !== undefined) data.requestHeaders = [...signal.requestHeaders];
  return `${token} ${encodeURIComponent(JSON.stringify(data))}`;
}

function decodeSignal(value: string): MiddlewareSignal | undefined {
  const space = value.indexOf(" ");
  if (space !== tokenBytes.length || !timingSafeEqual(Buffer.from(value.slice(0, space)), tokenBytes)) return undefined;
  let data: { kind?: unknown; destination?: unknown; requestHeaders?: unknown };
  try {
    data = JSON.parse(decodeURIComponent(value.slice(space + 1)));
  } catch {
    return undefined;
  }
  const requestHeaders = Array.isArray(data.requestHeaders) ? new Headers(data.requestHeaders as Array<[string, string]>) : undefined;
  if (data.kind === "next") return { kind: "next", requestHeaders };
  if (data.kind === "rewrite" && typeof data.destination === "string")
    return { kind: "rewrite", destination: data.destination, requestHeaders };
  return undefined;
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
