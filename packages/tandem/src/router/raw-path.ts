import type { Segment } from "./pattern.js";
import type { Params } from "./types.js";

// Helpers for matching a raw pathname in place, without splitting it into segment strings. They
// apply only to a path without '%', which equals its decoded form; the caller sends any other
// path to splitPath. A charCodeAt loop in optimized code costs about 30 instructions a character
// and a builtin scan (indexOf) about 100 a call, so short segments are scanned by hand and long
// ones by the builtin.

const SLASH = 47;
const DOT = 46;
/** Characters of a parameter scanned by hand before the builtins take over. */
const SHORT = 8;

/** Where the raw path's segments end: one trailing slash is ignored, as splitPath does. */
export function pathEnd(path: string): number {
  const end = path.length;
  return end > 1 && path.charCodeAt(end - 1) === SLASH ? end - 1 : end;
}

/** Start of the first segment; past `end` when the path has none ("/"). */
export function firstSegment(end: number): number {
  return end === 1 ? 2 : 1;
}

/** End of the segment that starts at `pos`: the next '/', or `end`. */
export function segmentEnd(path: string, pos: number, end: number): number {
  const stop = path.indexOf("/", pos);
  return stop < 0 ? end : stop;
}

/** Whether the segment from `pos` to `stop` can be a parameter value: not empty, "." or "..", nor too long. */
export function fitsParam(path: string, pos: number, stop: number, max: number): boolean {
  const length = stop - pos;
  if (length === 0 || length > max) return false;
  return !(length <= 2 && path.charCodeAt(pos) === DOT && (length === 1 || path.charCodeAt(pos + 1) === DOT));
}

/**
 * Whether the segment at `pos` is exactly `key`. Keys hold no '/', so the segment must end where
 * the key does; checking that first rejects most other keys without comparing a character.
 */
export function keyAt(path: string, key: string, pos: number, end: number): boolean {
  const stop = pos + key.length;
  if (stop > end || (stop < end && path.charCodeAt(stop) !== SLASH)) return false;
  for (let i = 0; i < key.length; i++) if (path.charCodeAt(pos + i) !== key.charCodeAt(i)) return false;
  return true;
}

/** End of the parameter segment that starts at `pos`, or -1 when fitsParam refuses it. */
export function paramEnd(path: string, pos: number, end: number, max: number): number {
  const short = end - pos > SHORT ? pos + SHORT : end;
  let stop = pos;
  for (; stop < short; stop++) {
    if (path.charCodeAt(stop) === SLASH) break;
  }
  if (stop === short && short < end && path.charCodeAt(short) !== SLASH) stop = segmentEnd(path, short, end);
  return fitsParam(path, pos, stop, max) ? stop : -1;
}

/**
 * Whether every segment from `pos` on can be an element of a catch-all's value. Catch-all
 * segments are mostly words longer than a short id, so the builtin finds each end.
 */
export function restFits(path: string, pos: number, end: number, max: number): boolean {
  while (pos <= end) {
    const stop = segmentEnd(path, pos, end);
    if (!fitsParam(path, pos, stop, max)) return false;
    pos = stop + 1;
  }
  return true;
}

/** One parameter of a pattern, placed for reading it from a raw path that the pattern matched. */
export interface ParamSlot {
  name: string;
  /** Characters of static segments (with their '/') between the previous parameter and this one. */
  skip: number;
  /** A catch-all: the rest of the path, split. */
  rest: boolean;
  /** The pattern's last segment: the value runs to the end of the path. */
  last: boolean;
}

/** Static segments matched their own spelling, so their lengths say where each parameter starts. */
export function paramSlots(segments: readonly Segment[]): ParamSlot[] {
  const slots: ParamSlot[] = [];
  let skip = 0;
  segments.forEach((segment, i) => {
    if (segment.kind === "static") {
      skip += segment.value.length + 1;
    } else {
      slots.push({ name: segment.name, skip, rest: segment.kind !== "dynamic", last: i === segments.length - 1 });
      skip = 0;
    }
  });
  return slots;
}

/** Params of a pattern that matched the raw path; `slots` come from paramSlots(its segments). */
export function rawParams(slots: readonly ParamSlot[], path: string, end: number): Params {
  const params: Params = {};
  let pos = firstSegment(end);
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i]!;
    pos += slot.skip;
    if (slot.rest) {
      if (pos <= end) params[slot.name] = restOf(path, pos, end);
    } else {
      // Not the last: an optional catch-all after it may have matched nothing, so '/' may be absent.
      const stop = slot.last ? end : segmentEnd(path, pos, end);
      params[slot.name] = path.slice(pos, stop);
      pos = stop + 1;
    }
  }
  return params;
}

/** The segments from `pos` to `end`. String#split would go through the runtime for a fresh string. */
function restOf(path: string, pos: number, end: number): string[] {
  const values: string[] = [];
  while (pos <= end) {
    const stop = segmentEnd(path, pos, end);
    values.push(path.slice(pos, stop));
    pos = stop + 1;
  }
  return values;
}
