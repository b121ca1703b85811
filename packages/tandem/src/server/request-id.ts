import type { IncomingMessage } from "node:http";

// Kept on the request object under a registry symbol, so that every copy of Tandem in the process
// (the app's server bundle has its own copy of the pages code) finds the id whichever copy made
// it. A property, not a WeakMap: an entry per request in a WeakMap cost about 0.8 µs of garbage
// collection (ephemerons) on every request the access log names.
const ID = Symbol.for("tandem.message-request-id");
let randomUUID: (() => string) | undefined;

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
  const slot = req as { [ID]?: string };
  let id = slot[ID];
  if (id === undefined) {
    id =
      (trusted ? forwardedId(req as IncomingMessage) : undefined) ?? (randomUUID ??= process.getBuiltinModule("node:crypto").randomUUID)();
    slot[ID] = id;
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
