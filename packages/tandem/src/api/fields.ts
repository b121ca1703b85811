import { HttpError } from "../errors/http-error.js";
import type { Where } from "./types.js";

/**
 * Keys that would reach an object's prototype when assigned. Rejected rather than dropped so the
 * client learns its field was not accepted.
 */
export const FORBIDDEN_KEY = "__proto__";

export function forbiddenKey(where: Where, key: string): HttpError {
  return new HttpError("TND_ERR_API_FORBIDDEN_KEY", `The ${where} contains the forbidden key "${key}"`, {
    details: { location: where },
  });
}

/** Query strings and form data: a key seen once maps to its value, a repeated key to an array. */
export function entriesToObject<V>(entries: Iterable<[string, V]>, where: Where, maxFields: number): Record<string, V | V[]> {
  const out: Record<string, V | V[]> = {};
  let count = 0;
  for (const [key, value] of entries) {
    if (++count > maxFields) {
      throw new HttpError("TND_ERR_API_TOO_MANY_FIELDS", `The ${where} has more than ${maxFields} fields`, {
        details: { location: where, limit: maxFields },
      });
    }
    if (key === FORBIDDEN_KEY) throw forbiddenKey(where, key);
    const seen = out[key];
    if (seen === undefined) out[key] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else out[key] = [seen, value];
  }
  return out;
}

export function headersToObject(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  // Headers iterates with lowercased names and joins repeated ones, which is what schemas expect.
  for (const [key, value] of headers) {
    if (key === FORBIDDEN_KEY) throw forbiddenKey("headers", key);
    out[key] = value;
  }
  return out;
}
