// Run: node --import tsx packages/tandem/test/router/bench.ts
import { ListRouter } from "../../src/router/list-router.js";
import { TrieRouter } from "../../src/router/trie-router.js";
import type { Router } from "../../src/router/types.js";
import { benchPaths, benchPatterns } from "./bench-table.js";

function bench(name: string, router: Router<string>, n: number): void {
  for (const pattern of benchPatterns) router.add(pattern, pattern);
  for (let i = 0; i < 10_000; i++) router.match(benchPaths[i % benchPaths.length]!);
  const started = performance.now();
  for (let i = 0; i < n; i++) router.match(benchPaths[i % benchPaths.length]!);
  const ms = performance.now() - started;
  console.log(`${name}: ${n.toLocaleString("en")} matches in ${ms.toFixed(0)} ms (${((ms * 1e6) / n).toFixed(0)} ns/match)`);
}

bench("TrieRouter", new TrieRouter(), 1_000_000);
bench("ListRouter", new ListRouter(), 100_000);
