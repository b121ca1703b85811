import { HttpError } from "../errors/http-error.js";

/**
 * Checks a Server Action reply (React's Flight reply format) before React decodes it. React
 * ≥ 19.2.1 already refuses prototype walks (CVE-2025-55182); this is the second lock: a closed,
 * data-only check of every chunk with hard bounds, so hostile input costs O(bytes) and never
 * reaches the decoder. Refused: prototype paths ($1:__proto__:then), references to missing
 * chunks, cyclic chunk references, depth and node counts over the limits.
 */
export interface ReplyLimits {
  maxDepth: number;
  maxNodes: number;
  maxChunks: number;
}

const FORBIDDEN_SEGMENTS = new Set([
  "__proto__",
  "constructor",
  "prototype",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__",
]);
// Second character of "$x<id>" strings that reference another chunk by hex id.
const CHUNK_REF_TYPES = new Set([..."@hQWiAOoUSsLlGgMmVBRrXx"]);
const LITERAL_TYPES = new Set([..."$TIN-uDnKZ"]);

function bad(reason: string): HttpError {
  return new HttpError("TND_ERR_ACTION_BAD_PAYLOAD", `Malformed Server Action arguments: ${reason}.`);
}

/** `body` is what the client sent: one JSON text, or multipart fields ("0" is the root chunk). */
export function checkReply(body: string | FormData, limits: ReplyLimits): void {
  const chunks = new Map<string, string>();
  if (typeof body === "string") {
    chunks.set("0", body);
  } else {
    let count = 0;
    for (const [key, value] of body) {
      if (++count > limits.maxChunks) throw bad(`more than ${limits.maxChunks} form fields`);
      if (FORBIDDEN_SEGMENTS.has(key)) throw bad(`forbidden field name ${JSON.stringify(key)}`);
      // Digit keys are model chunks; "<prefix>_<key>" entries are FormData values and Blobs.
      if (/^[0-9]+$/.test(key)) {
        if (typeof value !== "string") throw bad(`chunk ${key} is a file`);
        chunks.set(Number(key).toString(16), value);
      }
    }
    if (!chunks.has("0")) throw bad("no root chunk");
  }
  const edges = new Map<string, string[]>();
  let nodes = 0;
  for (const [id, text] of chunks) {
    checkNesting(text, limits.maxDepth, id);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw bad(`chunk ${id} is not JSON`);
    }
    const refs: string[] = [];
    nodes += walk(value, limits, nodes, refs);
    for (const ref of refs) if (!chunks.has(ref)) throw bad(`reference to missing chunk ${ref}`);
    edges.set(id, refs);
  }
  if (hasCycle(edges)) throw bad("cyclic references");
}

/** One pass over the raw text, before JSON.parse: very deep input is costly even to parse. */
function checkNesting(text: string, maxDepth: number, id: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > maxDepth) throw bad(`chunk ${id} nests deeper than ${maxDepth}`);
    } else if (c === 93 || c === 125) depth--;
  }
}

/** Iterative (no recursion to overflow): depth, node count, keys and reference strings. */
function walk(root: unknown, limits: ReplyLimits, seen: number, refs: string[]): number {
  const stack: Array<[unknown, number]> = [[root, 1]];
  let nodes = 0;
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (++nodes + seen > limits.maxNodes) throw bad(`more than ${limits.maxNodes} values`);
    if (depth > limits.maxDepth) throw bad(`nesting deeper than ${limits.maxDepth}`);
    if (typeof value === "string") {
      if (value.startsWith("$")) checkReference(value, refs);
    } else if (Array.isArray(value)) {
      for (const item of value) stack.push([item, depth + 1]);
    } else if (typeof value === "object" && value !== null) {
      for (const key of Object.keys(value)) {
        if (FORBIDDEN_SEGMENTS.has(key)) throw bad(`forbidden key ${JSON.stringify(key)}`);
        stack.push([(value as Record<string, unknown>)[key], depth + 1]);
      }
    }
  }
  return nodes;
}

function checkReference(value: string, refs: string[]): void {
  const type = value[1];
  if (type === undefined || LITERAL_TYPES.has(type)) return;
  let rest: string;
  if (/[0-9a-f]/.test(type)) rest = value.slice(1);
  else if (CHUNK_REF_TYPES.has(type)) rest = value.slice(2);
  else throw bad(`unknown reference type ${JSON.stringify(value.slice(0, 2))}`);
  const [id, ...path] = rest.split(":");
  if (id === undefined || !/^[0-9a-f]{1,8}$/.test(id)) throw bad(`invalid reference ${JSON.stringify(value.slice(0, 40))}`);
  for (const segment of path) {
    if (FORBIDDEN_SEGMENTS.has(segment)) throw bad(`reference path walks ${JSON.stringify(segment)}`);
  }
  refs.push(id.replace(/^0+(?=.)/, ""));
}

function hasCycle(edges: Map<string, string[]>): boolean {
  const state = new Map<string, 1 | 2>();
  for (const start of edges.keys()) {
    if (state.has(start)) continue;
    const stack: Array<[string, number]> = [[start, 0]];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = edges.get(top[0])?.[top[1]++];
      if (next === undefined) {
        state.set(top[0], 2);
        stack.pop();
      } else if (state.get(next) === 1) {
        return true;
      } else if (!state.has(next)) {
        state.set(next, 1);
        stack.push([next, 0]);
      }
    }
  }
  return false;
}
