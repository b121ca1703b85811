import { HttpError } from "../errors/http-error.js";

/** Deeper bodies are refused before parsing; no real API payload nests this far. */
export const MAX_JSON_DEPTH = 512;

const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const CLOSE_BRACE = 125;
const CLOSE_BRACKET = 93;
const QUOTE = 34;
const BACKSLASH = 92;

function tooDeep(): HttpError {
  return new HttpError("TND_ERR_SERVER_JSON_TOO_DEEP", `JSON body nests deeper than ${MAX_JSON_DEPTH} levels`);
}

/** One pass over the text; brackets inside strings do not count. Only texts long enough to be too deep get scanned. */
function checkDepth(text: string): void {
  if (text.length <= MAX_JSON_DEPTH * 2) return;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > MAX_JSON_DEPTH) throw tooDeep();
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
}

function poisoned(key: string): HttpError {
  return new HttpError("TND_ERR_PROTO_POISONING", `JSON body has a forbidden "${key}" key`);
}

/**
 * Walks the parsed value with an explicit stack (depth is bounded above, but a stack costs nothing).
 * `__proto__` as an own key is what Object.assign/spread-based merges turn into a prototype change;
 * `constructor.prototype` is the other path lodash-style merges take.
 */
function checkKeys(root: unknown): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== "object") continue;
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
      continue;
    }
    if (Object.hasOwn(value, "__proto__")) throw poisoned("__proto__");
    const ctor = Object.hasOwn(value, "constructor") ? (value as { constructor: unknown }).constructor : undefined;
    if (ctor !== null && typeof ctor === "object" && Object.hasOwn(ctor, "prototype")) throw poisoned("constructor.prototype");
    for (const key in value) stack.push((value as Record<string, unknown>)[key]);
  }
}

// Both dangerous keys hold "proto" ("__proto__", and the "prototype" under "constructor"), and key
// names can be written with \u escapes ("\u005f_proto__"), so either sends the value to the walk.
// Two substring searches: about four times faster than one regular expression with alternatives.
const suspect = (text: string): boolean => text.includes("proto") || text.includes("\\u");

/** JSON.parse with the checks fastify's secure-json-parse makes, plus a depth bound; every failure is a 400. */
export function parseJson(text: string): unknown {
  checkDepth(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpError("TND_ERR_INVALID_JSON", `request body is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (suspect(text)) checkKeys(value);
  return value;
}
