import type { IncomingMessage } from "node:http";
import { isCompressible } from "./compressible.js";
import type { Encoding } from "./negotiate.js";

// Responses are written from flat [name, value, ...] lists whose names keep the case the app gave
// them: these helpers read and change such a list in place.

function find(headers: string[], lower: string): number {
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i]!;
    if (name.length === lower.length && name.toLowerCase() === lower) return i;
  }
  return -1;
}

/**
 * Whether the response may be compressed at all: a compressible Content-Type, not encoded
 * already, no `Cache-Control: no-transform`, and not a partial (206 / Content-Range) answer,
 * whose byte ranges refer to the unencoded body.
 */
export function mayCompress(headers: string[], status: number): boolean {
  if (status === 206 || status < 200 || status === 204 || status === 304) return false;
  const type = find(headers, "content-type");
  if (type === -1 || !isCompressible(headers[type + 1])) return false;
  if (find(headers, "content-encoding") !== -1 || find(headers, "content-range") !== -1) return false;
  const cache = find(headers, "cache-control");
  return cache === -1 || !/no-transform/i.test(headers[cache + 1]!);
}

/** The declared Content-Length, or undefined. */
export function declaredLength(headers: string[]): number | undefined {
  const at = find(headers, "content-length");
  return at === -1 ? undefined : Number(headers[at + 1]);
}

/** Adds Accept-Encoding to Vary: caches must keep one copy per coding. */
export function addVary(headers: string[]): void {
  const at = find(headers, "vary");
  if (at === -1) {
    headers.push("vary", "Accept-Encoding");
    return;
  }
  const value = headers[at + 1]!;
  if (value.trim() === "*" || /(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(value)) return;
  headers[at + 1] = value.trim() === "" ? "Accept-Encoding" : `${value}, Accept-Encoding`;
}

/**
 * Marks the list for an encoded body: Content-Encoding set, the length and Accept-Ranges of the
 * unencoded body removed, and a strong ETag made weak, since the encoded bytes are another
 * representation (what nginx does).
 */
export function markEncoded(headers: string[], encoding: Encoding): void {
  for (let i = headers.length - 2; i >= 0; i -= 2) {
    const lower = headers[i]!.toLowerCase();
    if (lower === "content-length" || lower === "accept-ranges") headers.splice(i, 2);
    else if (lower === "etag" && !headers[i + 1]!.startsWith("W/")) headers[i + 1] = `W/${headers[i + 1]}`;
  }
  headers.push("content-encoding", encoding);
}

/** The request's Accept-Encoding, straight from node's raw list (several fields are joined). */
export function acceptEncodingOf(req: IncomingMessage): string | undefined {
  const raw = req.rawHeaders;
  let value: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 15 && name.toLowerCase() === "accept-encoding")
      value = value === undefined ? raw[i + 1] : `${value}, ${raw[i + 1]}`;
  }
  return value;
}
