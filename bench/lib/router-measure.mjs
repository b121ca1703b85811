#!/usr/bin/env node
// One measurement in a fresh process (no JIT state from another router or suite):
// `node lib/router-measure.mjs <trie|list> <matches>` prints JSON with the times.
import { ListRouter } from "../../packages/tandem/dist/router/list-router.js";
import { TrieRouter } from "../../packages/tandem/dist/router/trie-router.js";
import { benchPaths, benchPatterns } from "./router-table.mjs";

const [kind, count] = process.argv.slice(2);
const n = Number(count);
const make = () => (kind === "list" ? new ListRouter() : new TrieRouter());

const router = make();
for (const pattern of benchPatterns) router.add(pattern, pattern);
for (let i = 0; i < 10_000; i++) router.match(benchPaths[i % benchPaths.length]);
let hits = 0;
let started = performance.now();
for (let i = 0; i < n; i++) if (router.match(benchPaths[i % benchPaths.length]) !== null) hits++;
const matchMs = performance.now() - started;

// An over-long parameter (16,000 characters) must be refused without scanning it again and again.
const longPath = `/api/boards/${"x".repeat(16_000)}/cards`;
const misses = 100;
started = performance.now();
for (let i = 0; i < misses; i++) if (router.match(longPath) !== null) throw new Error("the over-long parameter matched");
const longMs = performance.now() - started;

process.stdout.write(JSON.stringify({ n, hits, matchMs, misses, longMs }));
