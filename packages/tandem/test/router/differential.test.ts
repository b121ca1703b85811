// Random pattern sets and paths, matched by both routers: they share no matching or conflict
// code, so any disagreement is a bug in one of them. Seeded, so a failure reproduces.
import assert from "node:assert/strict";
import { it } from "node:test";
import { HttpError, TandemError } from "tandem/server";
import { ListRouter } from "../../src/router/list-router.js";
import { TrieRouter } from "../../src/router/trie-router.js";
import type { Router } from "../../src/router/types.js";

function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATIC = ["a", "b", "c"];
const PATH_PARTS = ["a", "b", "c", "x", "%61", "%zz", "", "..", "long-enough-value"];

function randomPattern(rand: () => number): string {
  const length = Math.floor(rand() * 4);
  const parts: string[] = [];
  for (let i = 0; i < length; i++) {
    const r = rand();
    // Few names per depth, so that slug-name conflicts happen but not in every set.
    const name = `${rand() < 0.8 ? "p" : "q"}${i}`;
    if (r < 0.55) parts.push(STATIC[Math.floor(rand() * STATIC.length)]!);
    else if (r < 0.8) parts.push(`[${name}]`);
    else if (r < 0.9) parts.push(`[...${name}]`);
    else parts.push(`[[...${name}]]`);
  }
  return "/" + parts.join("/");
}

function randomPath(rand: () => number): string {
  const length = Math.floor(rand() * 5);
  const parts = Array.from({ length }, () => PATH_PARTS[Math.floor(rand() * PATH_PARTS.length)]!);
  return "/" + parts.join("/") + (rand() < 0.2 ? "/" : "");
}

function outcome(fn: () => unknown): unknown {
  try {
    return { ok: fn() };
  } catch (error) {
    if (error instanceof HttpError || error instanceof TandemError) return { error: error.code };
    throw error;
  }
}

it("TrieRouter and ListRouter agree on 400 random tables x 60 random paths", () => {
  const rand = prng(20261125);
  let matched = 0;
  let conflicts = 0;
  for (let table = 0; table < 400; table++) {
    const routers: Router<string>[] = [new TrieRouter({ maxParamLength: 10 }), new ListRouter({ maxParamLength: 10 })];
    const count = 1 + Math.floor(rand() * 8);
    for (let i = 0; i < count; i++) {
      const pattern = randomPattern(rand);
      const [trie, list] = routers.map((router) => outcome(() => router.add(pattern, pattern)));
      assert.deepEqual(trie, list, `add ${pattern} after ${i} others (table ${table})`);
      if (JSON.stringify(trie).includes("CONFLICT")) conflicts++;
    }
    for (let i = 0; i < 60; i++) {
      const path = randomPath(rand);
      const [trie, list] = routers.map((router) => outcome(() => router.match(path)));
      assert.deepEqual(trie, list, `match ${path} (table ${table})`);
      if ((trie as { ok?: unknown }).ok) matched++;
    }
  }
  // The generator must exercise both outcomes, or this test proves nothing.
  assert.ok(matched > 1000, `only ${matched} matches`);
  assert.ok(conflicts > 50, `only ${conflicts} conflicts`);
});

it("TrieRouter and ListRouter agree where a segment has more static siblings than the trie scans in a list", () => {
  const names = Array.from({ length: 12 }, (_, i) => `s${i}`);
  const routers: Router<string>[] = [new TrieRouter(), new ListRouter()];
  const patterns = [...names.map((n) => `/api/${n}`), "/api/[id]", ...names.slice(0, 3).map((n) => `/api/${n}/[...rest]`)];
  for (const router of routers) for (const pattern of patterns) router.add(pattern, pattern);
  const paths = [...names.map((n) => `/api/${n}`), "/api/s12", "/api/s1/x/y", "/api/s11/x", "/api/", "/api/s3/"];
  for (const path of paths) {
    const [trie, list] = routers.map((router) => outcome(() => router.match(path)));
    assert.deepEqual(trie, list, `match ${path}`);
  }
  assert.deepEqual(routers[0]!.match("/api/s11")?.value, "/api/s11");
  assert.deepEqual(routers[0]!.match("/api/s1/x/y")?.params, { rest: ["x", "y"] });
});
