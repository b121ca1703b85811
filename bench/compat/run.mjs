#!/usr/bin/env node
// Differential comparison with Next.js (issue 20): serves the same App Router fixture with
// `next start` and with `tandem start`, sends each request of bench/compat/cases/<fixture>.json to
// both and reports where the answers differ. The fixtures are Next.js's own e2e apps
// (test/e2e/app-dir/<name>/ in a checkout of vercel/next.js), which this repository does not
// hold: pass their root with --fixtures. See docs/benchmarks.md#differential-comparison-with-nextjs.
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { ServerProcess, freePort } from "../lib/server-process.mjs";
import { diffViews, toView } from "./compare.mjs";
import { appNames, renderApps, runApp } from "./apps.mjs";
import { renderCompat } from "./report.mjs";
import { send, waitListening } from "./request.mjs";

const run = promisify(execFile);
const COMPAT_DIR = fileURLToPath(new URL(".", import.meta.url));
const BENCH_DIR = join(COMPAT_DIR, "..");
const REPO_DIR = join(BENCH_DIR, "..");
const RUNS_DIR = join(BENCH_DIR, ".compat-runs");
const TANDEM_BIN = join(REPO_DIR, "packages", "tandem", "bin", "tandem.js");
const FIXTURE_SUBDIR = join("test", "e2e", "app-dir");

const USAGE = `usage: node bench/compat/run.mjs --fixtures <next.js checkout> [options]
       node bench/compat/run.mjs --apps <folder of apps> [--dev] [--only <a,b>]

  --fixtures <dir>   a checkout of vercel/next.js (or any folder holding test/e2e/app-dir/<name>/);
                     NEXT_COMPAT_FIXTURES is read when absent
  --only <a,b>       fixtures to run (default: every bench/compat/cases/*.json)
  --out <file>       where the markdown goes (default: bench/RESULTS-compat.md)
  --keep             keep the built copies in bench/.compat-runs/ (apps: .next, .tandem) to look at them
  --apps <dir>       real apps instead of fixtures: <dir>/<app>/ for each bench/compat/apps/<app>.json,
                     with next and tandem installed in each; the "Real apps" section of the report
  --reuse            with --apps: keep the builds and use the ones already there (to iterate)
  --dev              with --apps: also compare \`tandem dev\` with \`next start\`
  --help`;

function options() {
  const { values } = parseArgs({
    options: {
      fixtures: { type: "string" },
      only: { type: "string" },
      out: { type: "string" },
      keep: { type: "boolean", default: false },
      apps: { type: "string" },
      dev: { type: "boolean", default: false },
      reuse: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return { help: true };
  if (values.apps) {
    const available = appNames();
    const only = values.only ? values.only.split(",").map((name) => name.trim()) : available;
    for (const name of only) {
      if (!available.includes(name)) throw new Error(`no pages listed for "${name}"; there are lists for: ${available.join(", ")}`);
    }
    const out = resolve(values.out ?? join(BENCH_DIR, "RESULTS-compat.md"));
    return { apps: true, appsRoot: resolve(values.apps), only, out, keep: values.keep, dev: values.dev, reuse: values.reuse };
  }
  const root = values.fixtures ?? process.env.NEXT_COMPAT_FIXTURES;
  if (!root) throw new Error("no fixtures: pass --fixtures <dir> or set NEXT_COMPAT_FIXTURES (see --help)");
  const available = readdirSync(join(COMPAT_DIR, "cases"))
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -5))
    .sort();
  const only = values.only ? values.only.split(",").map((s) => s.trim()) : available;
  for (const name of only) {
    if (!available.includes(name)) throw new Error(`no cases for "${name}"; there are cases for: ${available.join(", ")}`);
  }
  if (!existsSync(root)) throw new Error(`fixtures folder ${resolve(root)} does not exist (see --help)`);
  // Accept the checkout's root or the app-dir folder itself.
  const appDir = existsSync(join(root, FIXTURE_SUBDIR)) ? join(root, FIXTURE_SUBDIR) : root;
  return { appDir: resolve(appDir), only, out: resolve(values.out ?? join(BENCH_DIR, "RESULTS-compat.md")), keep: values.keep };
}

const env = (port) => {
  const { NODE_OPTIONS: _, ...rest } = process.env;
  return { ...rest, NODE_ENV: "production", PORT: String(port), NEXT_TELEMETRY_DISABLED: "1" };
};

async function step(args, cwd) {
  try {
    // Builds are the heavy part: niced so that other work on the machine keeps its share.
    await run("nice", ["-n", "19", process.execPath, ...args], { cwd, env: env(0), timeout: 15 * 60_000, maxBuffer: 64 << 20 });
  } catch (error) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC
    const plain = `${error.stdout ?? ""}${error.stderr ?? ""}`.replace(/\x1b\[[0-9;]*m/g, "").trim();
    const lines = plain.split("\n");
    // The summary names the command and the line that says what went wrong (a Tandem error code,
    // else the first line naming an error); the report shows the output's end below the table.
    const command = `${basename(args[0]) === "next" ? "next" : "tandem"} ${args[1]}`;
    const said = lines.map((line) => line.trim()).filter((line) => line && !line.startsWith("at "));
    const cause =
      said.findLast((line) => /\[TND_ERR_/.test(line)) ??
      said.find((line) => /\w*Error\b:|Unexpected/.test(line)) ??
      said.find((line) => /error|failed|cannot/i.test(line)) ??
      `exit ${error.code ?? error.signal}`;
    // Stack frames and this machine's paths say nothing about the app: the report leaves them out.
    const details = lines
      .filter((line) => !line.trim().startsWith("at "))
      .slice(-40)
      .join("\n")
      .replaceAll(REPO_DIR, ".");
    throw Object.assign(new Error(`\`${command}\` failed: ${cause}`), { details });
  }
}

const nextBin = () => {
  const require = createRequire(join(BENCH_DIR, "package.json"));
  try {
    return join(dirname(require.resolve("next/package.json")), "dist", "bin", "next");
  } catch {
    throw new Error("next is not installed in bench/: run `cd bench && npm install` first");
  }
};

const SIDES = {
  next: {
    build: (dir) => step([nextBin(), "build", dir], BENCH_DIR),
    start: (dir, port) => [nextBin(), "start", dir, "--port", String(port), "--hostname", "127.0.0.1"],
  },
  tandem: {
    build: (dir) => step([TANDEM_BIN, "build", dir], BENCH_DIR),
    start: (dir, port) => [TANDEM_BIN, "start", dir, "--port", String(port), "--host", "127.0.0.1"],
  },
};

/** A fresh copy under bench/ (so `next`, `react` resolve from bench/node_modules), built and started. */
async function serve(side, fixtureDir, name, opts, log) {
  mkdirSync(RUNS_DIR, { recursive: true });
  const dir = mkdtempSync(join(RUNS_DIR, `${name}-${side}-`));
  let server;
  try {
    cpSync(fixtureDir, dir, { recursive: true, filter: (path) => !/[/\\](\.next|\.tandem|node_modules)$/.test(path) });
    // Next.js's test runner gives each fixture a package.json of its own; without one, bench's
    // `"type": "module"` would apply and a CommonJS next.config.js would not load.
    const manifest = join(dir, "package.json");
    if (!existsSync(manifest)) writeFileSync(manifest, `${JSON.stringify({ name: `compat-${name}`, private: true }, null, 2)}\n`);
    const started = performance.now();
    await SIDES[side].build(dir);
    log(`  ${side}: built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const port = await freePort();
    server = new ServerProcess({ cmd: process.execPath, args: SIDES[side].start(dir, port), cwd: BENCH_DIR, env: env(port) });
    await waitListening(port, server);
    return { dir, port, server };
  } catch (error) {
    await server?.stop();
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function runFixture(name, opts, log) {
  const spec = JSON.parse(readFileSync(join(COMPAT_DIR, "cases", `${name}.json`), "utf8"));
  const fixtureDir = join(opts.appDir, spec.fixture ?? name);
  if (!existsSync(fixtureDir)) throw new Error(`fixture folder ${fixtureDir} does not exist`);
  log(`\n== ${name} (${spec.cases.length} cases)`);
  const servers = {};
  try {
    for (const side of ["next", "tandem"]) servers[side] = await serve(side, fixtureDir, name, opts, log);
    const results = [];
    for (const testCase of spec.cases) {
      const label = testCase.name ?? `${testCase.method ?? "GET"} ${testCase.path}`;
      const answers = {};
      for (const side of ["next", "tandem"]) answers[side] = await send(servers[side].port, testCase);
      let differences;
      if (answers.next.error || answers.tandem.error) {
        differences = [{ what: "no answer", next: answers.next.error ?? "answered", tandem: answers.tandem.error ?? "answered" }];
      } else {
        differences = diffViews(toView(answers.next, testCase, servers.next.port), toView(answers.tandem, testCase, servers.tandem.port));
      }
      log(`  ${differences.length ? "DIFF" : "same"}  ${label}`);
      for (const d of differences) log(`        ${d.what}: next ${d.next} | tandem ${d.tandem}`);
      results.push({ label, request: `${testCase.method ?? "GET"} ${testCase.path}`, differences, note: testCase.note });
    }
    return { name, results };
  } finally {
    for (const { server, dir } of Object.values(servers)) {
      await server.stop();
      if (!opts.keep) rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** Runs the real apps and puts their section in place of the report's previous one. */
async function mainApps(opts, log) {
  const apps = [];
  for (const name of opts.only) {
    try {
      apps.push(await runApp(name, opts, log));
    } catch (error) {
      log(`  ${name} failed: ${error.message}`);
      apps.push({ name, error: error.message, details: error.details });
    }
  }
  const version = [...new Set(apps.map((a) => a.nextVersion).filter(Boolean))].join(", ") || "unknown";
  const section = renderApps({ apps, nextVersion: version, date: new Date().toISOString().slice(0, 10) });
  const before = existsSync(opts.out) ? readFileSync(opts.out, "utf8") : "";
  const at = before.indexOf("\n## Real apps\n");
  writeFileSync(opts.out, `${(at === -1 ? before : before.slice(0, at + 1)).trimEnd()}\n\n${section}`);
  log(`\n${section}\nwritten to ${opts.out}`);
  if (apps.some((a) => a.error)) process.exitCode = 1;
}

async function main() {
  const opts = options();
  if (opts.help) return console.log(USAGE);
  const log = (line) => console.log(line);
  if (opts.apps) return mainApps(opts, log);
  const fixtures = [];
  for (const name of opts.only) {
    try {
      fixtures.push(await runFixture(name, opts, log));
    } catch (error) {
      log(`  ${name} failed: ${error.message}`);
      fixtures.push({ name, error: error.message, details: error.details });
    }
  }
  const markdown = renderCompat({ fixtures, nextVersion: readVersion("next"), date: new Date().toISOString().slice(0, 10) });
  // The real apps' section comes from `--apps` runs: kept as it is.
  const before = existsSync(opts.out) ? readFileSync(opts.out, "utf8") : "";
  const apps = before.indexOf("\n## Real apps\n");
  writeFileSync(opts.out, apps === -1 ? markdown : `${markdown}\n${before.slice(apps + 1)}`);
  log(`\n${markdown}\nwritten to ${opts.out}`);
  if (fixtures.some((f) => f.error)) process.exitCode = 1;
}

function readVersion(pkg) {
  try {
    const require = createRequire(join(BENCH_DIR, "package.json"));
    return require(`${pkg}/package.json`).version;
  } catch {
    return "unknown";
  }
}

main().catch((error) => {
  console.error(error.message);
  process.exitCode = 1;
});
