import { FastResponse, headerPairs, isHeaderRecord, type Plain } from "../server/fast-response.js";
import { sameHeaderName } from "../server/node-headers.js";
import { SIGNAL_HEADER } from "./middleware/signals.js";

/**
 * Middleware's `next({ headers })` adds response headers to whatever the route answers. Both
 * responses are usually still plain FastResponses, and then the headers are merged as pairs:
 * building two undici Headers objects for this cost more than the rest of the middleware step.
 */

/** Whether a middleware continue/rewrite response carries headers for the final response. */
export function hasHeaders(response: Response): boolean {
  const plain = FastResponse.plain(response);
  if (plain !== undefined && plain.headers === undefined) {
    const init = plain.init;
    return isHeaderRecord(init) ? hasOwnKeys(init) : headerPairs(plain).length > 0;
  }
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
    // The usual case: a route response without headers of its own and `next({ headers: { ... } })`.
    // The record is taken as it is (nothing changes an init record; it is only ever read).
    if (target.init === undefined && isHeaderRecord(source.init)) target.init = source.init;
    else mergePairs(target, headerPairs(source));
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

function hasOwnKeys(record: Record<string, string>): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return true;
  return false;
}

function mergePairs(target: Plain, extra: ReadonlyArray<readonly [string, string]>): void {
  const own = headerPairs(target);
  const pairs: Array<[string, string]> = [];
  // The route's own headers first, minus those middleware sets (set-cookie is added, never replaced).
  for (const pair of own) if (!replaces(extra, pair[0].toLowerCase())) pairs.push([pair[0], pair[1]]);
  for (let i = 0; i < extra.length; i++) {
    const lower = extra[i]![0].toLowerCase();
    // A later entry of middleware's own for the same name wins, as Headers#set would have it.
    if (lower === "set-cookie" || !replaces(extra, lower, i + 1)) pairs.push([lower, extra[i]![1]]);
  }
  target.init = pairs;
}

/** Whether `extra` (from index `from` on) sets header `lower`, replacing any earlier value. */
function replaces(extra: ReadonlyArray<readonly [string, string]>, lower: string, from = 0): boolean {
  if (lower === "set-cookie") return false;
  for (let i = from; i < extra.length; i++) {
    if (sameHeaderName(extra[i]![0], lower)) return true;
  }
  return false;
}

function apply(target: Headers, extra: Headers): void {
  for (const [name, value] of extra) {
    // Middleware's continue mark, present once something built the Headers of next()'s response.
    if (name === "set-cookie" || name === SIGNAL_HEADER) continue;
    target.set(name, value);
  }
  for (const cookie of extra.getSetCookie()) target.append("set-cookie", cookie);
}
