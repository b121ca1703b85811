import type { IncomingMessage } from "node:http";
import { HttpError } from "../errors/http-error.js";
import { sameHeaderName } from "./node-headers.js";

// A DNS name (underscores allowed for container names), an IPv4 address or a bracketed IPv6
// address, with an optional port. Anything else (`/`, `@`, `\`, spaces) could move the URL's
// authority or path, so it is refused rather than patched.
const HOST = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::(\d{1,5}))?$/;
// Targets the URL parser leaves exactly as they are: no dot segments (also as %2e), no
// backslashes, nothing it would percent-encode (in a query that includes '). Such a target skips
// `new URL` on the hot path, and the app's own path checks. One regular expression per request:
// a JavaScript loop over the characters measured slower than V8's compiled expressions.
const PLAIN_PATHNAME = /^(?:\/(?!\.)[A-Za-z0-9\-._~!$&'()*+,;=:@]*)+$/;
const PLAIN_TARGET = /^(?:\/(?!\.|%2[Ee])[A-Za-z0-9\-._~!$&'()*+,;=:@%]*)+(?:\?[A-Za-z0-9\-._~!$&()*+,;=:@/%?]*)?$/;

function badHost(host: string): HttpError {
  return new HttpError("TND_ERR_SERVER_BAD_HOST", `invalid Host header ${JSON.stringify(host.slice(0, 100))}`);
}

export function badTarget(target: string): HttpError {
  return new HttpError(
    "TND_ERR_SERVER_BAD_TARGET",
    `request target ${JSON.stringify(target.slice(0, 100))} must be a path starting with '/'`,
  );
}

function first(value: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  return raw?.split(",")[0]?.trim();
}

/** The path and query of the target; an absolute-form target only lends its path, never its host. */
function pathOf(target: string): string {
  if (target.charCodeAt(0) === 47 /* / */) return target;
  if (target.startsWith("http://") || target.startsWith("https://")) {
    try {
      const url = new URL(target);
      return url.pathname + url.search;
    } catch {
      throw badTarget(target);
    }
  }
  throw badTarget(target);
}

// The origin of the last request that passed the Host check: a server sees the same Host again
// and again, and the check is a regular expression on every request otherwise.
let lastHost = "";
let lastScheme = "";
let lastOrigin = "";

export interface UrlOptions {
  trustProxy?: boolean;
  /** Used for HTTP/1.0 requests without Host. */
  defaultHost?: string;
}

/**
 * The value of the one Host header in `rawHeaders`; more than one is a 400 (RFC 9112 3.2: node
 * would silently keep the first). Read from the raw list: node builds `req.headers` lazily, and
 * nothing on the bridge's path needs it.
 */
function hostOf(raw: string[]): string | undefined {
  let host: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name !== "Host" && !sameHeaderName(name, "host")) continue;
    if (host !== undefined) throw new HttpError("TND_ERR_SERVER_BAD_HOST", "the request has more than one Host header");
    host = raw[i + 1]!;
  }
  return host;
}

/**
 * The origin of a request ("http://host:port"), from our own view of it: the scheme of the socket
 * and the Host header (validated). X-Forwarded-* only count with trustProxy (CVE-2024-34351 came
 * from trusting them).
 */
export function requestOrigin(req: IncomingMessage, options: UrlOptions): string {
  let scheme = (req.socket as { encrypted?: boolean } | null)?.encrypted ? "https" : "http";
  let host = hostOf(req.rawHeaders);
  if (options.trustProxy) {
    const proto = first(req.headers["x-forwarded-proto"]);
    if (proto === "http" || proto === "https") scheme = proto;
    host = first(req.headers["x-forwarded-host"]) || host;
  }
  if (!host) {
    if (req.httpVersion !== "1.0" || !options.defaultHost) {
      throw new HttpError("TND_ERR_SERVER_BAD_HOST", "the request has no Host header");
    }
    host = options.defaultHost;
  }
  if (host === lastHost && scheme === lastScheme) return lastOrigin;
  const valid = host.length <= 261 ? HOST.exec(host) : null;
  if (valid === null || (valid[1] !== undefined && Number(valid[1]) > 65535)) throw badHost(host);
  const origin = parsedOrigin(scheme, host);
  lastHost = host;
  lastScheme = scheme;
  return (lastOrigin = origin);
}

/**
 * The origin as the WHATWG URL parser spells it, the parser that anything reading `request.url`
 * uses. The expression above lets through hosts the parser refuses (`999.1.1.1`, `example.09`,
 * `xn--a.com`): those must be a 400 here, not a 500 in every handler and error page that parses
 * the URL. A Host the parser rewrites (`EXAMPLE.com`, `0x7f.1`, `:80`) is given as rewritten, the
 * same whether or not the target needed `new URL` itself. Runs only when the Host changes.
 */
function parsedOrigin(scheme: string, host: string): string {
  try {
    return new URL(`${scheme}://${host}`).origin;
  } catch {
    throw badHost(host);
  }
}

/**
 * Whether the URL parser would leave a path-and-query target as it is: -1 when it could change
 * it, else `(end << 1) | encoded`, where `end` is where the pathname ends (the '?' or the length)
 * and `encoded` is 1 when the target holds a '%'. A number, not an object: this runs on every
 * request, and it spares the app its own searches for '%' and '?'.
 */
export function scanTarget(target: string): number {
  // The usual API request: a pathname without '%' or query, settled by one expression.
  if (PLAIN_PATHNAME.test(target)) return target.length << 1;
  if (!PLAIN_TARGET.test(target)) return -1;
  const q = target.indexOf("?");
  return ((q === -1 ? target.length : q) << 1) | (target.includes("%") ? 1 : 0);
}

/** The path and query of a request's target (an absolute-form target lends only its path). */
export function targetPath(req: IncomingMessage): string {
  return pathOf(req.url ?? "");
}

/** The absolute URL of a target path that is not plain, normalised by the URL parser. */
export function normalizedUrl(path: string, origin: string): string {
  try {
    // Concatenated, not resolved against a base: "//evil/x" stays a path on our host.
    return new URL(origin + path).href;
  } catch {
    throw badTarget(path);
  }
}

/** Path and query of an absolute URL (no fragment). */
export function pathOfUrl(url: string): string {
  const start = url.indexOf("/", url.indexOf("://") + 3);
  if (start === -1) return "/";
  const hash = url.indexOf("#", start);
  return hash === -1 ? url.slice(start) : url.slice(start, hash);
}
