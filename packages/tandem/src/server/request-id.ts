import type { IncomingMessage } from "node:http";

// Shared by every copy of Tandem in the process (the app's server bundle has its own copy of the
// pages code), so that whichever copy asks first, all of them answer the same id.
const IDS = Symbol.for("tandem.request-ids");
const ids = ((globalThis as Record<symbol, unknown>)[IDS] ??= new WeakMap<object, string>()) as WeakMap<object, string>;

/**
 * A server request answers its id under this key, for copies of Tandem whose own classes do not
 * recognize it (a private field is per copy). A symbol, not a header: a client cannot set it.
 */
export const REQUEST_ID = Symbol.for("tandem.request-id");

/**
 * The id of a request: made on first ask (a UUID; node:crypto loads then, not at startup) and
 * the same for every later ask, keyed by node's request object, so the access log, a 500's body
 * and a handler's `requestId(request)` agree. With `trusted` (serve's trustProxy), a proxy's
 * X-Request-Id is taken instead when it is one field of 1-200 visible ASCII characters.
 */
export function messageRequestId(req: object, trusted: boolean): string {
  let id = ids.get(req);
  if (id === undefined) {
    id = (trusted ? forwardedId(req as IncomingMessage) : undefined) ?? process.getBuiltinModule("node:crypto").randomUUID();
    ids.set(req, id);
  }
  return id;
}

function forwardedId(req: IncomingMessage): string | undefined {
  const raw = req.rawHeaders;
  if (raw === undefined) return undefined;
  let found: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length !== 12 || name.toLowerCase() !== "x-request-id") continue;
    if (found !== undefined) return undefined;
    found = raw[i + 1]!;
  }
  return found !== undefined && /^[\x21-\x7e]{1,200}$/.test(found) ? found : undefined;
}
