import { TandemError } from "../errors/http-error.js";
import { resolveOptions, type ResolvedOptions } from "./options.js";
import { formatSegment, parsePattern, type Segment } from "./pattern.js";
import { splitPath } from "./path.js";
import { firstSegment, keyAt, paramEnd, paramSlots, pathEnd, rawParams, restFits, segmentEnd, type ParamSlot } from "./raw-path.js";
import type { Match, Params, Router, RouterOptions } from "./types.js";

interface Leaf<T> {
  value: T;
  pattern: string;
  segments: Segment[];
  label: string;
  /** Where the raw path's params are; empty for a static pattern, whose params are always `{}`. */
  slots: ParamSlot[];
}

interface Child<T> {
  segment: Segment;
  /** The first entry that created this child, named when a sibling conflicts with it. */
  label: string;
  node: Node<T>;
}

interface Node<T> {
  statics: Map<string, Node<T>> | undefined;
  /**
   * The static children the in-place walk can reach, as two parallel arrays while there are few:
   * comparing a key in place costs less than slicing the segment and hashing it. Undefined once
   * the node has more than LIST_MAX static children; `raw` serves then. Keys holding '%' are left
   * out of both: the walk must miss a raw segment that holds '%', whatever it spells.
   */
  keys: string[] | undefined;
  nexts: Node<T>[] | undefined;
  raw: Map<string, Node<T>> | undefined;
  dynamic: Child<T> | undefined;
  /** `[...x]` or `[[...x]]`: always the last segment, so it ends in a leaf. */
  rest: { segment: Segment; leaf: Leaf<T> } | undefined;
  leaf: Leaf<T> | undefined;
}

/** Up to this many static siblings, comparing each in place is cheaper than one map lookup. */
const LIST_MAX = 8;

function newNode<T>(): Node<T> {
  return {
    statics: undefined,
    keys: undefined,
    nexts: undefined,
    raw: undefined,
    dynamic: undefined,
    rest: undefined,
    leaf: undefined,
  };
}

function addStatic<T>(node: Node<T>, key: string): Node<T> {
  node.statics ??= new Map();
  let next = node.statics.get(key);
  if (next !== undefined) return next;
  node.statics.set(key, (next = newNode()));
  if (node.statics.size > LIST_MAX) {
    node.raw ??= new Map(node.keys!.map((k, i) => [k, node.nexts![i]!]));
    node.keys = node.nexts = undefined;
    if (!key.includes("%")) node.raw.set(key, next);
  } else {
    node.keys ??= [];
    node.nexts ??= [];
    if (!key.includes("%")) {
      node.keys.push(key);
      node.nexts.push(next);
    }
  }
  return next;
}

function conflict(message: string): TandemError {
  return new TandemError("TND_ERR_ROUTE_CONFLICT", message);
}

/**
 * The production matcher: a segment trie. A trie node sits at one depth, so a match visits each
 * node at most once even with backtracking. A path without '%' (nearly all of them) is walked in
 * place on the raw string: static keys are compared where they stand and only parameter values
 * are sliced. A path with '%' is split and decoded first (splitPath) and walked segment by segment.
 */
export class TrieRouter<T> implements Router<T> {
  readonly #root: Node<T> = newNode();
  /**
   * Patterns of static segments only, by their URL ("/api/users"): such a pattern outranks every
   * other match of its path, so a path that spells one exactly is answered by one lookup, which
   * costs less than comparing each segment's key in place. Keys holding '%' stay out, as in `keys`.
   */
  readonly #exact = new Map<string, Leaf<T>>();
  readonly #options: ResolvedOptions<T>;
  readonly #max: number;

  constructor(options: RouterOptions<T> = {}) {
    this.#options = resolveOptions(options);
    this.#max = this.#options.maxParamLength;
  }

  add(pattern: string, value: T): void {
    const label = this.#options.describe(value, pattern);
    const segments = parsePattern(pattern, label);
    const leaf: Leaf<T> = { value, pattern, segments, label, slots: paramSlots(segments) };
    let node = this.#root;
    for (const segment of segments) {
      if (segment.kind === "static") {
        node = addStatic(node, segment.value);
      } else if (segment.kind === "dynamic") {
        const existing = node.dynamic;
        if (existing !== undefined && existing.segment.kind === "dynamic" && existing.segment.name !== segment.name) {
          throw conflict(
            `You cannot use different slug names for the same dynamic path ("${existing.segment.name}" !== "${segment.name}"): ` +
              `${existing.label} and ${label}.`,
          );
        }
        node.dynamic ??= { segment, label, node: newNode() };
        node = node.dynamic.node;
      } else {
        this.#addRest(node, segment, leaf);
        return;
      }
    }
    this.#addLeaf(node, leaf);
    const url = staticUrl(segments);
    if (url !== undefined) this.#exact.set(url, leaf);
  }

  #addLeaf(node: Node<T>, leaf: Leaf<T>): void {
    if (node.leaf !== undefined) {
      throw conflict(`${node.leaf.label} and ${leaf.label} both serve the URL "${leaf.pattern}".`);
    }
    if (node.rest !== undefined && node.rest.segment.kind === "optionalCatchAll") {
      throw conflict(optionalBesideParent(node.rest.leaf, leaf));
    }
    node.leaf = leaf;
  }

  #addRest(node: Node<T>, segment: Segment, leaf: Leaf<T>): void {
    const existing = node.rest;
    if (existing !== undefined) {
      const a = formatSegment(existing.segment);
      const b = formatSegment(segment);
      if (a === b) throw conflict(`${existing.leaf.label} and ${leaf.label} both serve the URL "${leaf.pattern}".`);
      if (existing.segment.kind !== segment.kind) {
        throw conflict(
          `You cannot use both a required and an optional catch-all at the same level ("${a}" and "${b}"): ` +
            `${existing.leaf.label} and ${leaf.label}.`,
        );
      }
      throw conflict(
        `You cannot use different slug names for the same dynamic path ("${a}" !== "${b}"): ${existing.leaf.label} and ${leaf.label}.`,
      );
    }
    if (segment.kind === "optionalCatchAll" && node.leaf !== undefined) {
      throw conflict(optionalBesideParent(leaf, node.leaf));
    }
    node.rest = { segment, leaf };
  }

  match(pathname: string): Match<T> | null {
    // One scan for '%' up front: walking in place first and then decoding would cost an encoded
    // path a whole wasted walk, far more than this scan costs the others.
    if (pathname.charCodeAt(0) !== 47 /* / */ || pathname.includes("%")) return this.#matchDecoded(pathname);
    const exact = this.#exact.get(pathname);
    if (exact !== undefined) return { value: exact.value, params: {} };
    const end = pathEnd(pathname);
    const found = this.#walkRaw(this.#root, pathname, firstSegment(end), end);
    if (found !== undefined) {
      // A hit proves the path clean: each segment matched a key or passed paramEnd.
      return { value: found.value, params: found.slots.length === 0 ? {} : rawParams(found.slots, pathname, end) };
    }
    // A miss may owe splitPath's answer instead: a 400 for a "." or ".." segment.
    return pathname.includes("/.") ? this.#matchDecoded(pathname) : null;
  }

  #matchDecoded(pathname: string): Match<T> | null {
    const segments = splitPath(pathname);
    if (segments === null) return null;
    const leaf = this.#walk(this.#root, segments, 0);
    if (leaf === undefined) return null;
    return { value: leaf.value, params: paramsOf(leaf.segments, segments) };
  }

  /**
   * The in-place walk over `path` from `pos` (its segment's first character) to `end`. A step with
   * no sibling left to try after it loops instead of recursing: most nodes have one way on.
   */
  #walkRaw(node: Node<T>, path: string, pos: number, end: number): Leaf<T> | undefined {
    for (;;) {
      if (pos > end) {
        if (node.leaf !== undefined) return node.leaf;
        return node.rest?.segment.kind === "optionalCatchAll" ? node.rest.leaf : undefined;
      }
      const { dynamic, rest } = node;
      let child: Node<T> | undefined;
      let after = 0;
      const keys = node.keys;
      if (keys !== undefined) {
        for (let k = 0; k < keys.length; k++) {
          const key = keys[k]!;
          if (keyAt(path, key, pos, end)) {
            after = pos + key.length;
            child = node.nexts![k];
            break;
          }
        }
      } else if (node.raw !== undefined) {
        after = segmentEnd(path, pos, end);
        // A key holding '%' is not in `raw`, so a hit means the segment holds none.
        child = node.raw.get(path.slice(pos, after));
      }
      if (child !== undefined) {
        if (dynamic === undefined && rest === undefined) {
          node = child;
          pos = after + 1;
          continue;
        }
        const leaf = this.#walkRaw(child, path, after + 1, end);
        if (leaf !== undefined) return leaf;
      } else if (dynamic === undefined && rest === undefined) {
        return undefined;
      }
      const stop = paramEnd(path, pos, end, this.#max);
      if (stop < 0) return undefined;
      if (dynamic !== undefined) {
        if (rest === undefined) {
          node = dynamic.node;
          pos = stop + 1;
          continue;
        }
        const leaf = this.#walkRaw(dynamic.node, path, stop + 1, end);
        if (leaf !== undefined) return leaf;
      }
      return rest !== undefined && restFits(path, stop + 1, end, this.#max) ? rest.leaf : undefined;
    }
  }

  #walk(node: Node<T>, path: string[], i: number): Leaf<T> | undefined {
    if (i === path.length) {
      if (node.leaf !== undefined) return node.leaf;
      return node.rest?.segment.kind === "optionalCatchAll" ? node.rest.leaf : undefined;
    }
    const segment = path[i]!;
    const next = node.statics?.get(segment);
    if (next !== undefined) {
      const leaf = this.#walk(next, path, i + 1);
      if (leaf !== undefined) return leaf;
    }
    const max = this.#options.maxParamLength;
    if (segment.length > max) return undefined;
    if (node.dynamic !== undefined) {
      const leaf = this.#walk(node.dynamic.node, path, i + 1);
      if (leaf !== undefined) return leaf;
    }
    if (node.rest === undefined) return undefined;
    for (let j = i + 1; j < path.length; j++) if (path[j]!.length > max) return undefined;
    return node.rest.leaf;
  }
}

/** The one URL a pattern of static segments serves; undefined for any other pattern. */
function staticUrl(segments: readonly Segment[]): string | undefined {
  let url = "";
  for (const segment of segments) {
    if (segment.kind !== "static" || segment.value.includes("%")) return undefined;
    url += `/${segment.value}`;
  }
  return url === "" ? "/" : url;
}

function optionalBesideParent(optional: Leaf<unknown>, parent: Leaf<unknown>): string {
  return (
    `You cannot define a route with the same specificity as an optional catch-all route ` +
    `("${parent.pattern}" and "${optional.pattern}"): ${parent.label} and ${optional.label}.`
  );
}

/** Params come from the winning pattern: its segment i consumed path segment i. */
function paramsOf(segments: readonly Segment[], path: readonly string[]): Params {
  const params: Params = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.kind === "dynamic") params[segment.name] = path[i]!;
    else if (segment.kind !== "static" && i < path.length) params[segment.name] = path.slice(i);
  }
  return params;
}
