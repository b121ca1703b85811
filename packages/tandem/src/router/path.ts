import { HttpError } from "../errors/http-error.js";

/** Fastify's default: a longer parameter value is far more often an attack than a real id. */
export const DEFAULT_MAX_PARAM_LENGTH = 100;

function badPath(message: string): HttpError {
  return new HttpError("TND_ERR_BAD_PATH", message);
}

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    // The message is sent to the client, so it does not echo the (attacker-chosen) segment.
    throw badPath("The request path contains invalid percent-encoding.");
  }
}

/**
 * Splits a raw pathname into percent-decoded segments, one trailing slash ignored ("/about/" is
 * "/about"). Splitting happens before decoding, so "%2F" stays inside one segment.
 * Returns null when the path has an empty segment ("//"): no pattern segment matches one.
 * Throws HttpError TND_ERR_BAD_PATH (400) for invalid encoding, "." or ".." segments (raw or
 * decoded: a handler that joins a parameter into a file path must never see them), or a path that
 * does not start with "/".
 */
export function splitPath(pathname: string): string[] | null {
  if (pathname.charCodeAt(0) !== 47 /* / */) throw badPath("The request path must start with '/'.");
  let end = pathname.length;
  if (end > 1 && pathname.charCodeAt(end - 1) === 47) end--;
  const segments: string[] = [];
  if (end === 1) return segments;
  const encoded = pathname.includes("%");
  // indexOf + slice: about three times faster than String#split on this hot path.
  for (let start = 1; start <= end; ) {
    let stop = pathname.indexOf("/", start);
    if (stop === -1 || stop > end) stop = end;
    if (stop === start) return null;
    let segment = pathname.slice(start, stop);
    if (encoded && segment.includes("%")) segment = decodeSegment(segment);
    if (segment.length <= 2 && (segment === "." || segment === "..")) {
      throw badPath("The request path contains a '.' or '..' segment.");
    }
    segments.push(segment);
    start = stop + 1;
  }
  return segments;
}
