/**
 * `tandem/next-cache`, what the build gives an app's `next/cache` imports. Tandem renders every
 * request afresh (force-static pages change with a new build), so there is no data cache to fill
 * or invalidate: `unstable_cache` calls the function each time and the revalidation functions have
 * nothing to do. They exist so that Next.js code runs unchanged; docs/migrating-from-next.md says so.
 */

type Callback = (...args: any[]) => Promise<unknown>;

/** Returns `fn` itself: each call runs it (no cache yet). `keyParts` and `options` are accepted. */
export function unstable_cache<T extends Callback>(
  fn: T,
  _keyParts?: string[],
  _options?: { revalidate?: number | false; tags?: string[] },
): T {
  return fn;
}

/** Nothing is cached, so nothing to invalidate. */
export function revalidatePath(_path: string, _type?: "layout" | "page"): void {}

/** Nothing is cached, so nothing to invalidate. */
export function revalidateTag(_tag: string, _profile?: string | { expire?: number }): void {}

/** Next.js 16: expire a tag and read fresh data in the same request. Every read is fresh here. */
export function updateTag(_tag: string): void {}

/** Next.js 16: refresh the client router after an action. Tandem's action responses always carry the re-rendered page. */
export function refresh(): void {}

/** Every render is dynamic already. */
export function unstable_noStore(): void {}

/** `"use cache"` profiles and tags: accepted, nothing is cached. */
export function cacheLife(_profile: string | { stale?: number; revalidate?: number; expire?: number }): void {}
export function cacheTag(..._tags: string[]): void {}
export { cacheLife as unstable_cacheLife, cacheTag as unstable_cacheTag };
