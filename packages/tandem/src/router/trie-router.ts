import { TandemError } from "../errors/http-error.js";
import { resolveOptions, type ResolvedOptions } from "./options.js";
import { formatSegment, parsePattern, type Segment } from "./pattern.js";
import { splitPath } from "./path.js";
import type { Match, Params, Router, RouterOptions } from "./types.js";

interface Leaf<T> {
  value: T;
  pattern: string;
  segments: Segment[];
  label: string;
}

interface Child<T> {
  segment: Segment;
  /** The first entry that created this child, named when a sibling conflicts with it. */
  label: string;
  node: Node<T>;
}

interface Node<T> {
  statics: Map<string, Node<T>> | undefined;
  dynamic: Child<T> | undefined;
  /** `[...x]` or `[[...x]]`: always the last segment, so it ends in a leaf. */
  rest: { segment: Segment; leaf: Leaf<T> } | undefined;
  leaf: Leaf<T> | undefined;
}

function newNode<T>(): Node<T> {
  return { statics: undefined, dynamic: undefined, rest: undefined, leaf: undefined };
}

function conflict(message: string): TandemError {
  return new TandemError("TND_ERR_ROUTE_CONFLICT", message);
}

/**
 * The production matcher: a segment trie. A trie node sits at one depth, so a match visits each
 * node at most once even with backtracking, and a path that hits only static segments costs one
 * map lookup per segment. Fully static patterns are also kept in one map for an O(1) first try.
 */
export class TrieRouter<T> implements Router<T> {
  readonly #root: Node<T> = newNode();
  readonly #statics = new Map<string, Leaf<T>>();
  readonly #options: ResolvedOptions<T>;

  constructor(options: RouterOptions<T> = {}) {
    this.#options = resolveOptions(options);
  }

  add(pattern: string, value: T): void {
    const label = this.#options.describe(value, pattern);
    const segments = parsePattern(pattern, label);
    const leaf: Leaf<T> = { value, pattern, segments, label };
    let node = this.#root;
    for (const segment of segments) {
      if (segment.kind === "static") {
        node.statics ??= new Map();
        let next = node.statics.get(segment.value);
        if (next === undefined) node.statics.set(segment.value, (next = newNode()));
        node = next;
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
  }

  #addLeaf(node: Node<T>, leaf: Leaf<T>): void {
    if (node.leaf !== undefined) {
      throw conflict(`${node.leaf.label} and ${leaf.label} both serve the URL "${leaf.pattern}".`);
    }
    if (node.rest !== undefined && node.rest.segment.kind === "optionalCatchAll") {
      throw conflict(optionalBesideParent(node.rest.leaf, leaf));
    }
    node.leaf = leaf;
    if (leaf.segments.every((s) => s.kind === "static")) this.#statics.set(leaf.pattern, leaf);
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
    // A path without '%' equals its decoded form, so a fully static route can be found directly.
    if (this.#statics.size > 0 && !pathname.includes("%")) {
      const end = pathname.length > 1 && pathname.endsWith("/") ? pathname.length - 1 : pathname.length;
      const leaf = this.#statics.get(end === pathname.length ? pathname : pathname.slice(0, end));
      if (leaf !== undefined) return { value: leaf.value, params: {} };
    }
    const segments = splitPath(pathname);
    if (segments === null) return null;
    const leaf = this.#walk(this.#root, segments, 0);
    if (leaf === undefined) return null;
    return { value: leaf.value, params: paramsOf(leaf.segments, segments) };
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
