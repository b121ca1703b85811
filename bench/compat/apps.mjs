// Real apps (issue 20): whole Next.js App Router apps, each in a folder of its own with its own
// node_modules (`next` and `tandem` installed there), built with `next build` and with
// `tandem build`, served with `next start`, `tandem start` and (with --dev) `tandem dev`, and asked
// the pages listed in bench/compat/apps/<app>.json. What a reader sees is compared: status,
// Location, and the page's <title> and visible text (or the body of a non-HTML answer). The apps'
// code is not kept in this repository: see docs/benchmarks.md#real-apps for how to set them up.
import { execFile } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ServerProcess, freePort } from "../lib/server-process.mjs";
import { diffViews, toView } from "./compare.mjs";
import { send, waitListening } from "./request.mjs";

const run = promisify(execFile);
const APPS_DIR = fileURLToPath(new URL("apps/", import.meta.url));
// Next.js fetches next/font/google stylesheets at build time; this keeps its build offline.
const FONTS_MOCK = fileURLToPath(new URL("google-fonts-mock.cjs", import.meta.url));
// What a reader of the page notices; cache headers and the like are the fixtures' business.
const READER_SEES = new Set(["status", "header location", "body", "no answer"]);

export function appNames() {
  return readdirSync(APPS_DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -5))
    .sort();
}

const env = (port, extra) => {
  const { NODE_OPTIONS: _, ...rest } = process.env;
  return { ...rest, NEXT_TELEMETRY_DISABLED: "1", PORT: String(port), ...extra };
};

function bins(dir) {
  const next = join(dir, "node_modules", "next", "dist", "bin", "next");
  const tandem = join(dir, "node_modules", "tandem", "bin", "tandem.js");
  for (const [name, file] of [
    ["next", next],
    ["tandem", tandem],
  ]) {
    if (!existsSync(file)) throw new Error(`${name} is not installed in ${dir}: see docs/benchmarks.md#real-apps`);
  }
  return { next, tandem };
}

async function build(cmd, args, dir, extraEnv) {
  try {
    await run("nice", ["-n", "19", process.execPath, cmd, ...args], {
      cwd: dir,
      env: env(0, { NODE_ENV: "production", ...extraEnv }),
      timeout: 15 * 60_000,
      maxBuffer: 64 << 20,
    });
  } catch (error) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC
    const plain = `${error.stdout ?? ""}${error.stderr ?? ""}`.replace(/\x1b\[[0-9;]*m/g, "").trim();
    const said = plain.split("\n").filter((line) => line.trim() && !line.trim().startsWith("at "));
    const cause = said.findLast((l) => /\[TND_ERR_/.test(l)) ?? said.find((l) => /\w*Error\b:|error/i.test(l)) ?? `exit ${error.code}`;
    throw Object.assign(new Error(`build failed: ${cause.trim()}`), { details: said.slice(-30).join("\n") });
  }
}

/** The sides an app is served by: build (if any) and the start command, in the app's folder. */
function sides(dir, spec, { dev: withDev, reuse }) {
  const { next, tandem } = bins(dir);
  const nextEnv = { NEXT_FONT_GOOGLE_MOCKED_RESPONSES: FONTS_MOCK, ...(spec.env ?? {}) };
  const list = {
    next: {
      build: () =>
        reuse && existsSync(join(dir, ".next")) ? undefined : build(next, ["build", ...(spec.nextBuildArgs ?? [])], dir, nextEnv),
      start: (port) => ({
        args: [next, "start", "--port", String(port), "--hostname", "127.0.0.1"],
        env: { NODE_ENV: "production", ...nextEnv },
      }),
    },
    tandem: {
      build: () => (reuse && existsSync(join(dir, ".tandem")) ? undefined : build(tandem, ["build"], dir, spec.env)),
      start: (port) => ({
        args: [tandem, "start", "--port", String(port), "--host", "127.0.0.1"],
        env: { NODE_ENV: "production", ...(spec.env ?? {}) },
      }),
    },
  };
  if (withDev) {
    list["tandem dev"] = {
      build: async () => {},
      start: (port) => ({
        args: [tandem, "dev", "--port", String(port), "--host", "127.0.0.1"],
        env: { NODE_ENV: "development", ...(spec.env ?? {}) },
      }),
    };
  }
  return list;
}

async function serve(side, dir, log) {
  const started = performance.now();
  await side.build();
  const port = await freePort();
  const { args, env: extra } = side.start(port);
  const server = new ServerProcess({ cmd: process.execPath, args, cwd: dir, env: env(port, extra) });
  try {
    await waitListening(port, server, 120_000);
  } catch (error) {
    await server.stop();
    throw error;
  }
  log(`    ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { port, server };
}

/** One app: each side built and started in turn, every case sent to each, differences listed. */
export async function runApp(name, opts, log) {
  const spec = JSON.parse(readFileSync(join(APPS_DIR, `${name}.json`), "utf8"));
  const dir = join(opts.appsRoot, spec.app ?? name);
  if (!existsSync(dir)) throw new Error(`app folder ${dir} does not exist (see docs/benchmarks.md#real-apps)`);
  log(`\n== ${name} (${spec.cases.length} pages)`);
  const servers = {};
  const failed = {};
  try {
    for (const [label, side] of Object.entries(sides(dir, spec, opts))) {
      log(`  ${label}:`);
      try {
        servers[label] = await serve(side, dir, log);
      } catch (error) {
        log(`    failed: ${error.message.split("\n")[0]}`);
        failed[label] = error;
      }
    }
    if (failed.next) throw Object.assign(new Error(`next: ${failed.next.message.split("\n")[0]}`), { details: failed.next.details });
    const results = [];
    for (const testCase of spec.cases) {
      const label = testCase.name ?? `${testCase.method ?? "GET"} ${testCase.path}`;
      const expected = await send(servers.next.port, testCase);
      for (const side of Object.keys(sides(dir, spec, opts)).filter((s) => s !== "next")) {
        let differences;
        if (failed[side]) {
          differences = [{ what: "no answer", next: "answered", tandem: failed[side].message.split("\n")[0] }];
        } else {
          const answer = await send(servers[side].port, testCase);
          differences =
            expected.error || answer.error
              ? [{ what: "no answer", next: expected.error ?? "answered", tandem: answer.error ?? "answered" }]
              : diffViews(toView(expected, testCase, servers.next.port), toView(answer, testCase, servers[side].port)).filter((d) =>
                  READER_SEES.has(d.what),
                );
        }
        log(`  ${differences.length ? "DIFF" : "same"}  ${side}  ${label}`);
        for (const d of differences) log(`        ${d.what}: next ${d.next} | ${side} ${d.tandem}`);
        results.push({ label, side, request: `${testCase.method ?? "GET"} ${testCase.path}`, differences });
      }
    }
    const { version } = JSON.parse(readFileSync(join(dir, "node_modules", "next", "package.json"), "utf8"));
    return { name, source: spec.source, nextVersion: version, results };
  } finally {
    for (const { server } of Object.values(servers)) await server.stop();
    if (!opts.keep && !opts.reuse) {
      for (const out of [".next", ".tandem"]) rmSync(join(dir, out), { recursive: true, force: true });
    }
  }
}

const cell = (text) => String(text).replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The "Real apps" section of bench/RESULTS-compat.md. */
export function renderApps({ apps, nextVersion, date }) {
  const lines = [
    "## Real apps",
    "",
    `Generated by \`bench/compat/run.mjs --apps\` on ${date} against next ${nextVersion}: each app built and`,
    "served by `next build && next start` and by Tandem; status, Location, <title> and visible text compared.",
    "",
    "| app | server | pages | matching | differing |",
    "| --- | --- | ---: | ---: | ---: |",
  ];
  for (const app of apps) {
    if (app.error) {
      lines.push(`| ${app.name} | all | n/a | n/a | failed: ${cell(app.error.split("\n")[0])} |`);
      continue;
    }
    for (const side of [...new Set(app.results.map((r) => r.side))]) {
      const mine = app.results.filter((r) => r.side === side);
      const differing = mine.filter((r) => r.differences.length).length;
      lines.push(`| ${app.name} | ${side} | ${mine.length} | ${mine.length - differing} | ${differing} |`);
    }
  }
  for (const app of apps) {
    const differing = app.results?.filter((r) => r.differences.length) ?? [];
    if (!differing.length && !app.error) continue;
    lines.push("", `### ${app.name}`, "");
    if (app.error) {
      lines.push(app.error, "", "```", app.details ?? "", "```");
      continue;
    }
    lines.push("| page | server | what | Next.js | Tandem |", "| --- | --- | --- | --- | --- |");
    for (const r of differing) {
      for (const d of r.differences)
        lines.push(`| \`${cell(r.request)}\` | ${r.side} | ${cell(d.what)} | ${cell(d.next)} | ${cell(d.tandem)} |`);
    }
  }
  return `${lines.join("\n")}\n`;
}
