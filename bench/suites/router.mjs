import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { median } from "../lib/lifecycle.mjs";
import { benchPatterns } from "../lib/router-table.mjs";

// Matching cost of Tandem's router (TrieRouter, what apps use) against ListRouter (one regular
// expression per route, tried in order: the reference the trie is tested against), on a 50-route
// table shaped like a real app. This was a wall-clock assertion in the unit tests, which a loaded
// machine could fail; here it is a number. Each sample is a fresh process on the server core.

export const title = "Router matching (50-route table, in process)";

const exec = promisify(execFile);
const MEASURE = fileURLToPath(new URL("../lib/router-measure.mjs", import.meta.url));
// The trie's target: 1M matches well under a second (docs/routing.md).
const routers = [
  { name: "tandem", label: "Tandem TrieRouter", kind: "trie", matches: 1_000_000 },
  { name: "list", label: "ListRouter (regex per route)", kind: "list", matches: 100_000 },
];

export const servers = routers.map((router) => ({ ...router, version: () => `node ${process.version}` }));

async function sample(pinning, router) {
  const [cmd, args] = pinning.command(0, process.execPath, [MEASURE, router.kind, String(router.matches)]);
  const { stdout } = await exec(cmd, args, { timeout: 120_000 });
  return JSON.parse(stdout);
}

export async function run(ctx) {
  const runs = ctx.options.quick ? 3 : 7;
  const selected = ctx.servers(servers);
  const samples = new Map(selected.map((router) => [router.name, []]));
  // Rounds alternate the routers, so a burst of load from elsewhere hits both alike.
  for (let i = 0; i < runs; i++) {
    for (const router of selected) samples.get(router.name).push(await sample(ctx.pinning, router));
  }
  const rows = selected.map((router) => {
    const list = samples.get(router.name);
    const nsPerMatch = median(list.map((s) => (s.matchMs * 1e6) / s.n));
    const longUs = median(list.map((s) => (s.longMs * 1000) / s.misses));
    ctx.log(
      `  ${router.label}: ${nsPerMatch.toFixed(0)} ns/match, over-long parameter refused in ${longUs.toFixed(1)} µs (median of ${runs})`,
    );
    return {
      server: router.name,
      label: router.label,
      values: { nsPerMatch, longUs, hitRate: list[0].hits / list[0].n, runs },
    };
  });
  return [
    {
      title: `match() on ${benchPatterns.length} routes`,
      description:
        `Median of ${runs} fresh processes per router, alternated; the trie does 1,000,000 matches per sample, the list 100,000, ` +
        "over 17 paths that hit and miss (static, dynamic, catch-all, trailing slash, percent-encoded). " +
        "Over-long parameter: 100 lookups of a path with a 16,000-character segment, which must be refused without rescanning it. " +
        "Below 1.00x means the trie is faster.",
      metrics: [
        { key: "nsPerMatch", label: "ns per match", short: "ns/match", format: (v) => v.toFixed(0), ratio: true },
        { key: "longUs", label: "µs per over-long miss", short: "long miss", format: (v) => v.toFixed(2), ratio: true },
        { key: "hitRate", label: "hit rate", format: (v) => `${(v * 100).toFixed(0)}%` },
        { key: "runs", label: "runs", format: String },
      ],
      rows,
    },
  ];
}
