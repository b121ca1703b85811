import { execFile } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { cpus } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { boardCopy } from "../lib/app-copy.mjs";
import { coldStarts, median } from "../lib/lifecycle.mjs";
import { nextApp, tandemApp } from "../lib/servers.mjs";

// SSR of the same page on every server: a root layout, a list of 50 rows read from SQLite on
// every request and one client component (issue 3's target page), served by `tandem start`
// (apps/tandem-ssr) and `next start` (peers/next-ssr). The two apps have the same layout
// markup, database code and client component, file for file. Also measured: JavaScript the browser downloads for
// the page, and the wall time of a clean `tandem build` against a clean `next build`.

export const title = "SSR page (layout + 50 rows from SQLite + 1 client component)";

const exec = promisify(execFile);
const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));
const REPO_DIR = join(BENCH_DIR, "..");
const TANDEM_BIN = join(REPO_DIR, "packages", "tandem", "bin", "tandem.js");
const PATH = "/list";
const TANDEM_DIR = "apps/tandem-ssr";
const NEXT_DIR = "peers/next-ssr";

const tandem = tandemApp({ dir: TANDEM_DIR });
const next = nextApp({ name: "next", label: "Next.js", dir: NEXT_DIR });
export const servers = [tandem, next];

const require = createRequire(import.meta.url);
const NEXT_BIN = join(dirname(require.resolve("next/package.json")), "dist", "bin", "next");
const buildEnv = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };

// Every build starts clean (no .tandem/, no .next/ and its cache) and may use every core: the
// harness pins itself to one core and its children inherit that, which would hobble the
// multi-threaded parts of both bundlers.
async function timeBuild(pinning, { cwd, out, args }) {
  rmSync(out, { recursive: true, force: true });
  const all = `0-${cpus().length - 1}`;
  const [cmd, cmdArgs] = pinning.enabled ? ["taskset", ["-c", all, process.execPath, ...args]] : [process.execPath, args];
  const started = performance.now();
  try {
    await exec(cmd, cmdArgs, { cwd, env: buildEnv, timeout: 10 * 60_000, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const output = `${error.stdout ?? ""}${error.stderr ?? ""}`.trim().split("\n").slice(-5).join(" / ");
    throw new Error(`\`${args.join(" ")}\` failed: ${output}`);
  }
  return performance.now() - started;
}

async function buildTimes(ctx) {
  const { options, pinning, log } = ctx;
  const runs = options.quick ? 1 : 3;
  const board = boardCopy();
  const targets = [
    {
      server: "tandem",
      label: "Tandem (`tandem build` apps/tandem-ssr)",
      cwd: BENCH_DIR,
      out: join(BENCH_DIR, TANDEM_DIR, ".tandem"),
      args: [TANDEM_BIN, "build", TANDEM_DIR],
    },
    {
      server: "next",
      label: "Next.js (`next build` peers/next-ssr)",
      cwd: BENCH_DIR,
      out: join(BENCH_DIR, NEXT_DIR, ".next"),
      args: [NEXT_BIN, "build", NEXT_DIR],
    },
    {
      server: "tandem-board",
      label: "Tandem (`tandem build` examples/board)",
      cwd: board.root,
      out: join(board.root, ".tandem"),
      args: [TANDEM_BIN, "build", board.root],
    },
  ];
  const rows = [];
  try {
    // --only applies: the board's build goes with Tandem's.
    const selected = targets.filter((t) => ctx.servers([{ name: t.server.replace(/-board$/, "") }]).length > 0);
    for (const target of selected) {
      const row = { server: target.server, label: target.label, values: {} };
      rows.push(row);
      try {
        const samples = [];
        for (let i = 0; i < runs; i++) samples.push(await timeBuild(pinning, target));
        row.values = { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), runs };
        log(`  build ${target.label}: ${samples.map((ms) => Math.round(ms)).join(", ")} ms`);
      } catch (error) {
        row.note = `failed: ${error.message}`;
        log(`  build ${target.label} FAILED: ${error.message}`);
      }
    }
  } finally {
    board.cleanup();
  }
  return {
    title: "Build time (clean build, wall clock)",
    description:
      `Each build starts without its output folder (.tandem/ or .next/ with its cache); ${runs} run(s) each, all cores. ` +
      "`next build` includes its TypeScript check, as it does by default; `tandem build` does not type-check. " +
      "The Tandem/peer column below 1.00x means Tandem builds faster.",
    metrics: [
      { key: "median", label: "median s", format: seconds, ratio: true },
      { key: "min", label: "min s", format: seconds },
      { key: "max", label: "max s", format: seconds },
      { key: "runs", label: "runs", format: String },
    ],
    rows,
  };
}

/** The page must be full HTML with the 50 rows, or it is not measured. */
async function verify(baseUrl) {
  const res = await fetch(baseUrl + PATH);
  const html = await res.text();
  if (res.status !== 200) return `GET ${PATH} answered ${res.status}`;
  const rows = (html.match(/<li[ >]/g) ?? []).length;
  if (rows < 50) return `GET ${PATH} has ${rows} <li> rows, expected 50`;
  return null;
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Script URLs the page names in its HTML (the fallback when no Chromium is installed). */
async function scriptsInHtml(baseUrl) {
  const html = await (await fetch(baseUrl + PATH)).text();
  const urls = new Set();
  for (const m of html.matchAll(/<script[^>]+src="([^"]+)"/g)) urls.add(new URL(m[1], baseUrl).href);
  for (const m of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)) urls.add(new URL(m[1], baseUrl).href);
  for (const m of html.matchAll(/<link[^>]+href="([^"]+\.js)"[^>]*rel="(?:modulepreload|preload)"/g)) urls.add(new URL(m[1], baseUrl).href);
  for (const m of html.matchAll(/import\("([^"]+\.js)"\)/g)) urls.add(new URL(m[1], baseUrl).href);
  return { urls, hydrated: undefined };
}

/**
 * Script URLs a real browser fetches for the page, including chunks loaded at run time, and
 * whether the client component works (a click on the like button counts), so that neither side
 * can look lighter by not hydrating.
 */
async function scriptsInBrowser(baseUrl) {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  try {
    const page = await browser.newPage();
    const urls = new Set();
    page.on("request", (request) => {
      if (request.resourceType() === "script" && new URL(request.url()).origin === baseUrl) urls.add(request.url());
    });
    await page.goto(baseUrl + PATH, { waitUntil: "networkidle" });
    const button = page.locator("#like");
    let hydrated = false;
    for (let i = 0; i < 50 && !hydrated; i++) {
      await button.click();
      hydrated = /Likes: [1-9]/.test(await button.innerText());
      if (!hydrated) await page.waitForTimeout(100);
    }
    await page.waitForLoadState("networkidle");
    return { urls, hydrated };
  } finally {
    await browser.close();
  }
}

/** Bytes (raw and gzip -9) of every same-origin script the page loads. */
async function javascriptBytes(baseUrl) {
  const browser = existsSync(CHROMIUM);
  const { urls, hydrated } = browser ? await scriptsInBrowser(baseUrl) : await scriptsInHtml(baseUrl);
  let raw = 0;
  let gz = 0;
  for (const url of urls) {
    const body = Buffer.from(await (await fetch(url)).arrayBuffer());
    raw += body.length;
    gz += gzipSync(body, { level: 9 }).length;
  }
  return { files: urls.size, raw, gz, hydrated, how: browser ? "loaded in Chromium" : "named in the HTML (no Chromium)" };
}

const count = (v) => Math.round(v).toLocaleString("en-US");
const kb = (v) => (v / 1024).toFixed(1);
const seconds = (ms) => (ms / 1000).toFixed(2);

export async function run(ctx) {
  const { options, pinning, load, log } = ctx;
  const rows = [];
  for (const server of ctx.servers(servers)) {
    log(`${server.label} (${server.version()})`);
    const row = { server: server.name, label: server.label, values: {} };
    rows.push(row);
    try {
      log("  building");
      await server.build(log);
      const running = await coldStarts(server, pinning, PATH, options.coldStarts);
      try {
        const problem = await verify(running.baseUrl);
        if (problem) {
          row.note = `not measured: ${problem}`;
          continue;
        }
        const js = await javascriptBytes(running.baseUrl);
        if (js.hydrated === false) row.note = "the like button did not respond to clicks in Chromium (not hydrated)";
        const request = { url: running.baseUrl + PATH, method: "GET", headers: {}, connections: options.connections };
        await load.drive({ ...request, seconds: options.warmup });
        const cpuBefore = running.proc.cpuSeconds();
        const measured = await load.drive({ ...request, seconds: options.duration });
        const cpu = running.proc.cpuSeconds() - cpuBefore;
        row.values = {
          rps: measured.requestsPerSec,
          perCpu: cpu > 0 ? measured.requests / cpu : undefined,
          p99: measured.p99Ms,
          rss: running.proc.rssMb(),
          cold: running.medianMs,
          jsGz: js.gz,
          jsRaw: js.raw,
          errors: measured.errors + measured.non2xx,
        };
        log(
          `  ${Math.round(measured.requestsPerSec)} req/s, p99 ${measured.p99Ms.toFixed(1)} ms, ` +
            `JS ${js.raw} B raw, ${js.gz} B gz in ${js.files} files (${js.how})`,
        );
      } finally {
        await running.proc.stop();
      }
    } catch (error) {
      row.note = `failed: ${error.message.split("\n")[0]}`;
      log(`  FAILED: ${error.message}`);
    }
  }
  const sections = [
    {
      title: `GET ${PATH}`,
      description:
        "Full HTML (server-rendered, with the inlined RSC payload) for a layout, 50 SQLite rows and one client component. " +
        "JS shipped: every same-origin script Chromium fetches while loading the page and clicking its button, summed (gzip -9 computed here).",
      metrics: [
        { key: "rps", label: "req/s", format: count, ratio: true },
        { key: "perCpu", label: "req per server CPU s", short: "req/CPU s", format: count, ratio: true },
        { key: "p99", label: "p99 ms", short: "p99", format: (v) => v.toFixed(1), ratio: true },
        { key: "rss", label: "RSS after load MB", short: "RSS", format: (v) => v.toFixed(1), ratio: true },
        { key: "cold", label: "cold start ms", short: "cold start", format: (v) => v.toFixed(0), ratio: true },
        { key: "jsGz", label: "JS shipped KB (gzip -9)", short: "JS gz", format: kb, ratio: true },
        { key: "jsRaw", label: "JS shipped KB (raw)", short: "JS raw", format: kb, ratio: true },
        { key: "errors", label: "errors", format: String },
      ],
      rows,
    },
  ];
  sections.push(await buildTimes(ctx));
  return sections;
}
