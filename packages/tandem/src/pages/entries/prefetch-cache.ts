/**
 * The client's cache of prefetched pages (Next.js's client Router Cache, for prefetches): the
 * RSC payload of a page fetched ahead, kept for its stale time and taken by the navigation to it.
 */
import type { PrefetchKind } from "./client-router.js";

/**
 * Next.js's defaults (its `staleTimes`): a dynamic page's data is not reused (0 s); a static
 * page, and any page prefetched in full, is reused for 5 minutes.
 */
export const STALE_TIMES = { dynamic: 0, static: 300 } as const;

/** Enough for a page of links; the oldest entry goes first. */
export const MAX_ENTRIES = 50;

export interface PrefetchEntry<T> {
  kind: PrefetchKind;
  /** Date.now() when the request was made. */
  at: number;
  /** Resolves to undefined when there is nothing to reuse (failed, not a page, or a dynamic page under "auto"). */
  result: Promise<T | undefined>;
  /** Milliseconds the result may be shown for; set when the response arrives. */
  staleAfter: number;
}

export class PrefetchCache<T> {
  #entries = new Map<string, PrefetchEntry<T>>();
  readonly #max: number;

  constructor(max = MAX_ENTRIES) {
    this.#max = max;
  }

  /** An entry that is still fresh at `now` (a pending one counts as fresh: it is newer than any other). */
  fresh(key: string, now: number): PrefetchEntry<T> | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (now - entry.at >= entry.staleAfter) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  set(key: string, entry: PrefetchEntry<T>): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** The cache key: the URL without its #fragment (one payload serves every fragment of a page). */
export function toPrefetchKey(url: URL): string {
  return url.href.slice(0, url.href.length - url.hash.length);
}
