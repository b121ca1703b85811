import { TandemError } from "../errors/http-error.js";
import { resolveOptions, type ResolvedOptions } from "./options.js";
import { formatSegment, parsePattern, RANK, type Segment } from "./pattern.js";
import { splitPath } from "./path.js";
import type { Match, Params, Router, RouterOptions } from "./types.js";

interface Entry<T> {
  value: T;
  pattern: string;
  segments: Segment[];
  label: string;
}

function conflict(message: string): TandemError {
  return new TandemError("TND_ERR_ROUTE_CONFLICT", message);
}

/**
 * The reference matcher: tries every pattern and keeps the best by per-segment rank. It shares no
 * matching or conflict code with TrieRouter, so the shared case table checks one against the other.
 * O(routes) per match: for tests and for checking, not for serving.
 */
export class ListRouter<T> implements Router<T> {
  readonly #entries: Entry<T>[] = [];
  readonly #options: ResolvedOptions<T>;

  constructor(options: RouterOptions<T> = {}) {
    this.#options = resolveOptions(options);
  }

  add(pattern: string, value: T): void {
    const label = this.#options.describe(value, pattern);
    const entry: Entry<T> = { value, pattern, segments: parsePattern(pattern, label), label };
    for (const other of this.#entries) checkPair(other, entry);
    this.#entries.push(entry);
  }

  match(pathname: string): Match<T> | null {
    const path = splitPath(pathname);
    if (path === null) return null;
    let best: { entry: Entry<T>; params: Params; ranks: number[] } | undefined;
    for (const entry of this.#entries) {
      const params = this.#tryEntry(entry.segments, path);
      if (params === null) continue;
      const ranks = entry.segments.map((s) => RANK[s.kind]);
      if (best === undefined || lessThan(ranks, best.ranks)) best = { entry, params, ranks };
    }
    return best === undefined ? null : { value: best.entry.value, params: best.params };
  }

  #tryEntry(segments: readonly Segment[], path: readonly string[]): Params | null {
    const params: Params = {};
    const fits = (value: string) => value.length <= this.#options.maxParamLength;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      if (segment.kind === "static") {
        if (path[i] !== segment.value) return null;
      } else if (segment.kind === "dynamic") {
        if (i >= path.length || !fits(path[i]!)) return null;
        params[segment.name] = path[i]!;
      } else {
        const rest = path.slice(i);
        if (segment.kind === "catchAll" && rest.length === 0) return null;
        if (!rest.every(fits)) return null;
        if (rest.length > 0) params[segment.name] = rest;
        return params;
      }
    }
    return segments.length === path.length ? params : null;
  }
}

function lessThan(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return a.length < b.length;
}

/** Walks two patterns side by side while they describe the same URLs so far. */
function checkPair(a: Entry<unknown>, b: Entry<unknown>): void {
  const both = `${a.label} and ${b.label}`;
  for (let i = 0; ; i++) {
    const x = a.segments[i];
    const y = b.segments[i];
    if (x === undefined && y === undefined) throw conflict(`${both} both serve the URL "${b.pattern}".`);
    if (x === undefined || y === undefined) {
      const z = x ?? y!;
      if (z.kind === "optionalCatchAll") {
        throw conflict(`You cannot define a route with the same specificity as an optional catch-all route: ${both}.`);
      }
      return;
    }
    if (x.kind === "static" || y.kind === "static") {
      if (x.kind === y.kind && formatSegment(x) === formatSegment(y)) continue;
      return;
    }
    const dynamicX = x.kind === "dynamic";
    const dynamicY = y.kind === "dynamic";
    // "[id]" beside "[...rest]" is allowed (Next.js keeps separate names for the two kinds).
    if (dynamicX !== dynamicY) return;
    if (x.kind !== y.kind) throw conflict(`You cannot use both a required and an optional catch-all at the same level: ${both}.`);
    if (x.name !== y.name) throw conflict(`You cannot use different slug names for the same dynamic path: ${both}.`);
    if (!dynamicX) throw conflict(`${both} both serve the URL "${b.pattern}".`);
  }
}
