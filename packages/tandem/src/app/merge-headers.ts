import { FastResponse, headerPairs, type Plain } from "../server/fast-response.js";

/**
 * Middleware's `next({ headers })` adds response headers to whatever the route answers. Both
 * responses are usually still plain FastResponses, and then the headers are merged as pairs:
 * building two undici Headers objects for this cost more than the rest of the middleware step.
 */

/** Whether a middleware continue/rewrite response carries headers for the final response. */
export function hasHeaders(response: Response): boolean {
  const plain = FastResponse.plain(response);
  if (plain !== undefined && plain.headers === undefined) return headerPairs(plain).length > 0;
  for (const _ of response.headers.keys()) return true;
  return false;
}

/**
 * Sets each of `from`'s headers on `response` (set-cookie is appended, never replaced);
 * a response with immutable headers (e.g. Response.redirect) is copied first.
 */
export function mergeHeaders(response: Response, from: Response): Response {
  const target = FastResponse.plain(response);
  const source = FastResponse.plain(from);
  if (target !== undefined && target.headers === undefined && source !== undefined && source.headers === undefined) {
    mergePairs(target, headerPairs(source));
    return response;
  }
  let out = response;
  try {
    apply(out.headers, from.headers);
  } catch {
    out = new Response(response.body, response);
    apply(out.headers, from.headers);
  }
  return out;
}

function mergePairs(target: Plain, extra: Array<[string, string]>): void {
  let pairs = headerPairs(target);
  for (const [name, value] of extra) {
    const lower = name.toLowerCase();
    if (lower !== "set-cookie") pairs = pairs.filter(([other]) => other.toLowerCase() !== lower);
    pairs.push([lower, value]);
  }
  target.init = pairs;
}

function apply(target: Headers, extra: Headers): void {
  for (const [name, value] of extra) {
    if (name === "set-cookie") continue;
    target.set(name, value);
  }
  for (const cookie of extra.getSetCookie()) target.append("set-cookie", cookie);
}
