import { createRequire } from "node:module";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchAppCopy, boardCopy } from "../lib/app-copy.mjs";
import { DevSession } from "../lib/dev-session.mjs";
import { median } from "../lib/lifecycle.mjs";
import { packageVersion } from "../lib/machine.mjs";

// The dev loop (issue 15, item 5): `tandem dev` against `next dev` (Turbopack, its default) on
// the SSR app that exists in both (apps/tandem-ssr, peers/next-ssr), and `tandem dev` on
// examples/board. Per run: a fresh copy of the app, spawn to the first full page with no caches
// ("clean"), edits to a Server Component and a route handler, then a restart in the same copy
// with the caches the first start left ("restart"). Runs alternate Tandem and Next.js, so load
// from elsewhere on a shared machine hits both alike. Targets: clean first page at most 0.5x
// `next dev`'s, an edit served in under 100 ms at p50.

export const title = "Dev server (`tandem dev` vs `next dev`)";
// About 8 minutes, and its report is RESULTS-dev.md: it runs only when named (`--suite dev`).
export const optIn = true;

const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));
const REPO_DIR = join(BENCH_DIR, "..");
const TANDEM_PKG = join(REPO_DIR, "packages", "tandem");
const TANDEM_BIN = join(TANDEM_PKG, "bin", "tandem.js");
const require = createRequire(import.meta.url);
const NEXT_BIN = join(dirname(require.resolve("next/package.json")), "dist", "bin", "next");

/** The development environment: everything the harness has, minus a NODE_ENV it may carry. */
function devEnv() {
  const { NODE_ENV: _, ...env } = process.env;
  return { ...env, NEXT_TELEMETRY_DISABLED: "1" };
}

const tandemDev = (root) => (port) => ({
  cmd: process.execPath,
  args: [TANDEM_BIN, "dev", root, "--port", String(port), "--host", "127.0.0.1"],
  cwd: root,
  env: devEnv(),
});
const nextDev = (root) => (port) => ({
  cmd: process.execPath,
  args: [NEXT_BIN, "dev", root, "--port", String(port), "--hostname", "127.0.0.1"],
  cwd: root,
  env: devEnv(),
});

// The SSR apps have no route handler; each copy gets the same one, in the same file, on both sides.
const HELLO = "app/api/hello/route.ts";
const hello = (n) => `export function GET() {\n  return Response.json({ message: "hello ${n}" });\n}\n`;
function addHello(root) {
  mkdirSync(join(root, dirname(HELLO)), { recursive: true });
  writeFileSync(join(root, HELLO), hello(0));
}

const ssrEdits = {
  page: {
    path: "/list",
    expected: "its <h1> and 50 <li> rows",
    isFull: (html) => html.includes("<h1>Fifty items") && (html.match(/<li[ >]/g) ?? []).length >= 50,
  },
  component: {
    file: "app/list/page.tsx",
    path: "/list",
    change: (source, n) => source.replace(/<h1>Fifty items[^<]*<\/h1>/, `<h1>Fifty items v${n}</h1>`),
    marker: (n) => `Fifty items v${n}<`,
  },
  handler: { file: HELLO, path: "/api/hello", initial: '"hello 0"', change: (_, n) => hello(n), marker: (n) => `"hello ${n}"` },
};

const targets = [
  {
    name: "tandem",
    label: "Tandem (`tandem dev` apps/tandem-ssr)",
    version: () => `tandem ${require(join(TANDEM_PKG, "package.json")).version}`,
    copy: () => benchAppCopy("apps/tandem-ssr"),
    prepare: addHello,
    command: tandemDev,
    listening: /tandem dev: listening on/,
    ...ssrEdits,
  },
  {
    name: "next",
    label: "Next.js (`next dev` peers/next-ssr, Turbopack)",
    version: () => `next ${packageVersion("next")}`,
    copy: () => benchAppCopy("peers/next-ssr"),
    prepare: addHello,
    command: nextDev,
    listening: /Ready in/,
    ...ssrEdits,
  },
  {
    name: "tandem-board",
    label: "Tandem (`tandem dev` examples/board)",
    version: () => `tandem ${require(join(TANDEM_PKG, "package.json")).version}`,
    copy: boardCopy,
    prepare: () => {},
    command: tandemDev,
    listening: /tandem dev: listening on/,
    page: {
      path: "/",
      expected: "<h1>Boards</h1> and the welcome board",
      isFull: (html) => html.includes("<h1>Boards") && html.includes("Welcome to Tandem"),
    },
    component: {
      file: "app/page.tsx",
      path: "/",
      change: (source, n) => source.replace(/<h1>Boards[^<]*<\/h1>/, `<h1>Boards v${n}</h1>`),
      marker: (n) => `Boards v${n}<`,
    },
    handler: {
      file: "app/api/health/route.ts",
      path: "/api/health",
      initial: '"ok":true',
      change: (source, n) => source.replace(/Response\.json\(\{[^}]*\}\)/, `Response.json({ ok: true, edit: ${n} })`),
      marker: (n) => `"edit":${n}}`,
    },
  },
];

export const servers = targets;

function percentile(values, p) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** One run of one target: clean start, edits, restart. Samples go into `into`. */
async function runOnce(ctx, target, edits, into) {
  const copy = target.copy();
  const from = { component: into.component.length, handler: into.handler.length };
  try {
    target.prepare(copy.root);
    const start = { pinning: ctx.pinning, command: target.command(copy.root), app: target };
    let session = await DevSession.start(start);
    into.clean.push(session.firstPageMs);
    if (session.listeningMs !== undefined) into.listening.push(session.listeningMs);
    into.cpu.push(session.cpuSecondsToFirstPage);
    try {
      await session.warm(target.handler.path, (text) => text.includes(target.handler.initial));
      into.pageGet.push(await session.latency(target.page.path, 10));
      into.handlerGet.push(await session.latency(target.handler.path, 10));
      for (let n = 1; n <= edits; n++) {
        for (const kind of ["component", "handler"]) {
          const edit = target[kind];
          const { ms, stale, output } = await session.edit({
            root: copy.root,
            file: edit.file,
            change: (source) => edit.change(source, n),
            path: edit.path,
            marker: edit.marker(n),
          });
          if (ms !== undefined) {
            into[kind].push(ms);
            into.stale += stale;
          } else {
            into.lost.push(`${kind} ${n}`);
            ctx.log(`  ${target.name}: edit ${n} of ${edit.file} not served within 10 s; server output:\n${output}`);
          }
        }
      }
    } finally {
      await session.stop();
    }
    session = await DevSession.start(start);
    into.restart.push(session.firstPageMs);
    await session.stop();
    const last = (list) => Math.round(list.at(-1));
    ctx.log(
      `  ${target.name}: clean ${last(into.clean)} ms, restart ${last(into.restart)} ms, ` +
        `edits component ${into.component.slice(from.component).map(Math.round).join("/")} ms, handler ${into.handler.slice(from.handler).map(Math.round).join("/")} ms`,
    );
  } finally {
    copy.cleanup();
  }
}

const ms = (v) => v.toFixed(0);
const met = (ok) => (ok ? "met" : "NOT met");

export async function run(ctx) {
  const { options, log } = ctx;
  const runs = options.quick ? 2 : 5;
  const edits = options.quick ? 3 : 5;
  const selected = ctx.servers(targets);
  const samples = new Map(
    selected.map((t) => [
      t.name,
      { clean: [], listening: [], restart: [], cpu: [], pageGet: [], handlerGet: [], component: [], handler: [], stale: 0, lost: [] },
    ]),
  );
  const failures = new Map();
  for (let round = 0; round < runs; round++) {
    // Tandem first in even rounds, Next.js first in odd ones; the board after both.
    const order = round % 2 === 0 ? selected : [...selected].sort((a, b) => (a.name === "next" ? -1 : b.name === "next" ? 1 : 0));
    for (const target of order) {
      if (failures.has(target.name)) continue;
      log(`  round ${round + 1}/${runs}: ${target.label} (${target.version()})`);
      try {
        await runOnce(ctx, target, edits, samples.get(target.name));
      } catch (error) {
        // A failure is reported, not retried: a dev server that serves a blank page fails every time.
        failures.set(target.name, error.message.split("\n")[0]);
        log(`  ${target.name} FAILED: ${error.message}`);
      }
    }
  }
  const row = (target) => {
    const s = samples.get(target.name);
    const values = {
      clean: s.clean.length ? median(s.clean) : undefined,
      listening: s.listening.length ? median(s.listening) : undefined,
      pageGet: s.pageGet.length ? median(s.pageGet) : undefined,
      handlerGet: s.handlerGet.length ? median(s.handlerGet) : undefined,
      restart: s.restart.length ? median(s.restart) : undefined,
      cpu: s.cpu.length ? median(s.cpu) : undefined,
      componentP50: percentile(s.component, 50),
      componentP90: percentile(s.component, 90),
      handlerP50: percentile(s.handler, 50),
      handlerP90: percentile(s.handler, 90),
      stale: s.stale,
      lost: s.lost.length,
      runs: s.clean.length,
      edits: s.component.length + s.handler.length,
    };
    const lost = s.lost.length ? `edits not served within 10 s (not in the percentiles): ${s.lost.join(", ")}` : undefined;
    const failed = failures.has(target.name) ? `failed: ${failures.get(target.name)}` : undefined;
    const row = { server: target.name, label: target.label, values };
    return {
      start: { ...row, ...(failed ? { note: failed } : {}) },
      edit: { ...row, ...(failed || lost ? { note: failed ?? lost } : {}) },
    };
  };
  const ssrRows = selected.filter((t) => t.name !== "tandem-board").map(row);
  const boardRows = selected.filter((t) => t.name === "tandem-board").map(row);
  const tandem = ssrRows.find((r) => r.start.server === "tandem")?.start.values;
  const next = ssrRows.find((r) => r.start.server === "next")?.start.values;
  const verdicts = [];
  if (tandem?.clean !== undefined && next?.clean !== undefined) {
    const ratio = tandem.clean / next.clean;
    verdicts.push(`first page ${ratio.toFixed(2)}x \`next dev\`'s (target at most 0.50x): ${met(ratio <= 0.5)}`);
    // Each round's own pair, run back to back: how much of the median ratio is the machine's mood.
    const [t, n] = [samples.get("tandem").clean, samples.get("next").clean];
    const pairs = t.length === n.length ? t.map((ms, i) => ms / n[i]) : [];
    if (pairs.length) verdicts.push(`round by round ${pairs.map((r) => `${r.toFixed(2)}x`).join(", ")}`);
  }
  if (tandem?.componentP50 !== undefined) {
    const worst = Math.max(tandem.componentP50, tandem.handlerP50);
    verdicts.push(
      `edit served at p50 in ${ms(tandem.componentP50)} ms (Server Component) and ${ms(tandem.handlerP50)} ms (route handler) (target under 100 ms): ${met(worst < 100)}`,
    );
  }
  const startMetrics = [
    { key: "clean", label: "first page, clean ms (median)", short: "clean", format: ms, ratio: true },
    { key: "listening", label: "listening, clean ms (median)", short: "listening", format: ms, ratio: true },
    { key: "restart", label: "first page, restart ms (median)", short: "restart", format: ms, ratio: true },
    { key: "cpu", label: "CPU s to first page (clean)", short: "CPU s", format: (v) => v.toFixed(1), ratio: true },
    { key: "runs", label: "runs", format: String },
  ];
  const editMetrics = [
    { key: "componentP50", label: "Server Component edit p50 ms", short: "component p50", format: ms, ratio: true },
    { key: "componentP90", label: "Server Component edit p90 ms", format: ms },
    { key: "handlerP50", label: "route handler edit p50 ms", short: "handler p50", format: ms, ratio: true },
    { key: "handlerP90", label: "route handler edit p90 ms", format: ms },
    { key: "pageGet", label: "unedited page GET ms", short: "page GET", format: ms, ratio: true },
    { key: "handlerGet", label: "unedited handler GET ms", short: "handler GET", format: ms, ratio: true },
    { key: "stale", label: "stale answers", format: String },
    { key: "lost", label: "lost edits", format: String },
    { key: "edits", label: "edits served", format: String },
  ];
  const sections = [
    {
      title: "Spawn to the first full page (apps/tandem-ssr, peers/next-ssr: GET /list)",
      description:
        `${runs} runs, alternating which server goes first; every dev server may use every core. "Clean": a fresh copy of the app, ` +
        'no .next/, no Vite dependency cache. "Restart": the same copy started again after the edits, with the caches the first start left. ' +
        "Timed from spawn to the first 200 whose HTML holds the <h1> and all 50 rows (a 200 without them fails the run); " +
        "the first request of each server compiles the page. Listening: spawn to the line the server prints when it accepts requests " +
        "(`tandem dev: listening on`, Next.js's `Ready in`). CPU s: user + system time of the server's process tree at that moment." +
        (verdicts.length ? `\n\nTargets: ${verdicts.join("; ")}.` : ""),
      metrics: startMetrics,
      rows: ssrRows.map((r) => r.start),
    },
    {
      title: "Save to updated response (Server Component app/list/page.tsx, route handler app/api/hello/route.ts)",
      description:
        `${edits} edits of each kind per run, alternating: the page's <h1> text, then the JSON the route handler returns. ` +
        "Timed from just before the file is written to the first 200 that carries the new text, polling back to back (2 ms apart); " +
        "stale answers are 200s still showing the old text before a served edit; a lost edit is one not served within 10 s (the run goes on with the next edit). The route was requested once before the first edit, so an edit times a rebuild, not a first compile; " +
        "300 ms pass between edits. Unedited GET: median of 10 requests in a row with no edit, the floor under an edit's time.",
      metrics: editMetrics,
      rows: ssrRows.map((r) => r.edit),
    },
  ];
  if (boardRows.length) {
    sections.push({
      title: "examples/board under `tandem dev` (GET /, app/page.tsx, app/api/health/route.ts)",
      description:
        "The same procedure on the example app (a copy, with its own SQLite file): the page must hold <h1>Boards</h1> and the seeded welcome board. No Next.js peer.",
      metrics: [...startMetrics, ...editMetrics].map(({ ratio: _, ...metric }) => metric),
      rows: boardRows.map((r) => r.edit),
    });
  }
  return sections;
}
