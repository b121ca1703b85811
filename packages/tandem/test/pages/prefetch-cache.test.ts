// The client's prefetch cache on its own: entries expire at their stale time and the oldest goes
// when it is full (the browser behaviour is in test/modes/prefetch.test.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import { PrefetchCache, toPrefetchKey, type PrefetchEntry } from "../../src/pages/entries/prefetch-cache.js";

const entry = (at: number, staleAfter = 1000): PrefetchEntry<string> => ({ kind: "auto", at, staleAfter, result: Promise.resolve("x") });

test("an entry is fresh until its stale time, then gone", () => {
  const cache = new PrefetchCache<string>();
  cache.set("/a", entry(0));
  assert.ok(cache.fresh("/a", 999));
  assert.equal(cache.fresh("/a", 1000), undefined);
  assert.equal(cache.size, 0);
});

test("a stale time of 0 keeps nothing", () => {
  const cache = new PrefetchCache<string>();
  cache.set("/a", entry(0, 0));
  assert.equal(cache.fresh("/a", 0), undefined);
});

test("when full, the oldest entry is dropped; setting one again makes it the newest", () => {
  const cache = new PrefetchCache<string>(2);
  cache.set("/a", entry(0));
  cache.set("/b", entry(0));
  cache.set("/a", entry(1));
  cache.set("/c", entry(2));
  assert.equal(cache.size, 2);
  assert.equal(cache.fresh("/b", 2), undefined);
  assert.ok(cache.fresh("/a", 2));
  assert.ok(cache.fresh("/c", 2));
  cache.clear();
  assert.equal(cache.size, 0);
});

test("the key leaves out the #fragment and keeps the query", () => {
  assert.equal(toPrefetchKey(new URL("http://x.test/a?b=1#c")), "http://x.test/a?b=1");
});
