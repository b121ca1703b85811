#!/usr/bin/env node
// Runs the benchmark suites one after another and writes the markdown report.
// A suite is a file in suites/ exporting `title`, `servers` and `run(ctx) -> sections`; see README.md.
import { readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createPinning } from "./lib/cpu.mjs";
import { createLoad } from "./lib/load.mjs";
import { machineInfo } from "./lib/machine.mjs";
import { parseOptions, USAGE } from "./lib/options.mjs";
import { renderReport } from "./lib/report.mjs";

const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));
const log = (line) => console.log(line);

// A suite file that fails to import, or is not in the harness's shape (a script meant to be run
// on its own), is reported and skipped: one broken suite must not cost the others' numbers.
async function loadSuites(only, log) {
  const files = readdirSync(join(BENCH_DIR, "suites"))
    .filter((f) => f.endsWith(".mjs"))
    .sort();
  const names = files.map((f) => f.slice(0, -4));
  for (const name of only ?? []) {
    if (!names.includes(name)) throw new Error(`unknown suite "${name}"; suites are: ${names.join(", ")}`);
  }
  const suites = [];
  for (const name of names.filter((n) => !only || only.includes(n))) {
    let suite;
    try {
      suite = await import(pathToFileURL(join(BENCH_DIR, "suites", `${name}.mjs`)).href);
    } catch (error) {
      log(`suite ${name}: cannot be imported, skipped: ${error.message}`);
      suites.push({ name, title: name, servers: [], error: `cannot be imported: ${error.message}` });
      continue;
    }
    if (!Array.isArray(suite.servers) || typeof suite.run !== "function") {
      log(`suite ${name}: exports no \`servers\` array and \`run(ctx)\`, skipped (run it on its own)`);
      continue;
    }
    // A long-running suite (instructions under valgrind) runs only when asked for by name.
    if (suite.optIn && !only?.includes(name)) continue;
    suites.push({ name, ...suite });
  }
  return suites;
}

function serverFilter(only, suites) {
  const known = new Set(suites.flatMap((suite) => suite.servers.map((server) => server.name)));
  for (const name of only ?? []) {
    if (!known.has(name)) throw new Error(`unknown server "${name}"; servers are: ${[...known].join(", ")}`);
  }
  return (servers) => servers.filter((server) => !only || only.includes(server.name));
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) return console.log(USAGE);
  const suites = await loadSuites(options.suites, log);
  // Read before pinning: nproc counts only the cores this process may use.
  const machine = machineInfo(BENCH_DIR);
  const pinning = createPinning();
  pinning.pinSelf(1);
  const load = createLoad(pinning, options.tool);
  log(`bench: ${machine.nproc} cores, node ${machine.node}, ${load.name}, ${pinning.note}`);
  const ctx = { options, pinning, load, log, servers: serverFilter(options.only, suites) };
  const versions = {};
  const results = [];
  for (const suite of suites) {
    log(`\n== ${suite.title}`);
    for (const server of ctx.servers(suite.servers)) versions[server.name] = server.version();
    if (suite.error) {
      results.push({ title: suite.title, error: suite.error });
      continue;
    }
    try {
      results.push({ title: suite.title, sections: await suite.run(ctx) });
    } catch (error) {
      log(`suite ${suite.name} failed: ${error.stack}`);
      results.push({ title: suite.title, error: error.message });
    }
  }
  const report = renderReport({ machine, options, pinning, loadTool: load.name, versions, suites: results });
  // resolve, not join: an absolute --out path is taken as it is.
  const out = resolve(BENCH_DIR, options.out);
  writeFileSync(out, report);
  log(`\n${report}\nwritten to ${out}`);
}

main().catch((error) => {
  console.error(`bench: ${process.env.BENCH_DEBUG ? error.stack : error.message}`);
  process.exitCode = 1;
});
