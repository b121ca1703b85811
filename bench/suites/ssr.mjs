import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { coldStarts } from "../lib/lifecycle.mjs";
import { nextApp } from "../lib/servers.mjs";

// SSR of the same page on every server: a layout, a list of 50 rows read from SQLite and one
// client component (issue 3's target page). Also measured: JavaScript the browser downloads.
//
// Until `tandem build`/`tandem start` serve pages, the Tandem side is the pages test site
// (packages/tandem/test/pages/fixtures/site, page /list) built and served through the same
// pieces they will use: the generated server entry, createApp and serve().
// The Next.js side runs when peers/next-ssr/ exists (an app router app with app/list/page.tsx).

export const title = "SSR page (layout + 50 rows from SQLite + 1 client component)";

const exec = promisify(execFile);
const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));
const PAGES_TEST = join(BENCH_DIR, "..", "packages", "tandem", "test", "pages");
const SITE_SCRIPT = join(PAGES_TEST, "serve-site.ts");
// Inside the package so the server bundle resolves react, better-sqlite3... from node_modules.
const OUT_DIR = join(PAGES_TEST, "fixtures", ".bench-site");
const PATH = "/list";

const tandemPages = {
  name: "tandem",
  label: "Tandem",
  version: () => "tandem (work tree)",
  async build() {
    await exec(process.execPath, ["--import", "tsx", SITE_SCRIPT, "build", OUT_DIR], { cwd: join(BENCH_DIR, ".."), timeout: 10 * 60_000 });
  },
  start: (port) => ({
    cmd: process.execPath,
    args: ["--import", "tsx", SITE_SCRIPT, "serve", OUT_DIR],
    cwd: join(BENCH_DIR, ".."),
    env: { ...process.env, NODE_ENV: "production", PORT: String(port) },
  }),
};

export const servers = [
  tandemPages,
  ...(existsSync(join(BENCH_DIR, "peers", "next-ssr")) ? [nextApp({ name: "next", label: "Next.js", dir: "peers/next-ssr" })] : []),
];

/** The page must be full HTML with the 50 rows, or it is not measured. */
async function verify(baseUrl) {
  const res = await fetch(baseUrl + PATH);
  const html = await res.text();
  if (res.status !== 200) return `GET ${PATH} answered ${res.status}`;
  const rows = (html.match(/<li[ >]/g) ?? []).length;
  if (rows < 50) return `GET ${PATH} has ${rows} <li> rows, expected 50`;
  return null;
}

/** Bytes (raw and gzip -9) of every same-origin script the page loads or preloads. */
async function javascriptBytes(baseUrl) {
  const html = await (await fetch(baseUrl + PATH)).text();
  const urls = new Set();
  for (const m of html.matchAll(/<script[^>]+src="([^"]+)"/g)) urls.add(m[1]);
  for (const m of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)) urls.add(m[1]);
  for (const m of html.matchAll(/<link[^>]+href="([^"]+\.js)"[^>]*rel="(?:modulepreload|preload)"/g)) urls.add(m[1]);
  for (const m of html.matchAll(/import\("([^"]+\.js)"\)/g)) urls.add(m[1]);
  let raw = 0;
  let gz = 0;
  for (const url of urls) {
    const body = Buffer.from(await (await fetch(new URL(url, baseUrl))).arrayBuffer());
    raw += body.length;
    gz += gzipSync(body, { level: 9 }).length;
  }
  return { files: urls.size, raw, gz };
}

const count = (v) => Math.round(v).toLocaleString("en-US");
const kb = (v) => (v / 1024).toFixed(1);

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
        const request = { url: running.baseUrl + PATH, method: "GET", headers: {}, connections: options.connections };
        await load.drive({ ...request, seconds: options.warmup });
        const cpuBefore = running.proc.cpuSeconds();
        const measured = await load.drive({ ...request, seconds: options.duration });
        const cpu = running.proc.cpuSeconds() - cpuBefore;
        row.values = {
          rps: measured.requestsPerSec, perCpu: cpu > 0 ? measured.requests / cpu : undefined, p99: measured.p99Ms,
          rss: running.proc.rssMb(), cold: running.medianMs, jsGz: js.gz, jsRaw: js.raw, errors: measured.errors + measured.non2xx,
        };
        log(`  ${Math.round(measured.requestsPerSec)} req/s, p99 ${measured.p99Ms.toFixed(1)} ms, JS ${kb(js.gz)} KB gz in ${js.files} files`);
      } finally {
        await running.proc.stop();
      }
    } catch (error) {
      row.note = `failed: ${error.message.split("\n")[0]}`;
      log(`  FAILED: ${error.message}`);
    }
  }
  return [{
    title: `GET ${PATH}`,
    description: "Full HTML (server-rendered, with the inlined RSC payload) for a layout, 50 SQLite rows and one client component.",
    metrics: [
      { key: "rps", label: "req/s", format: count, ratio: true },
      { key: "perCpu", label: "req per server CPU s", short: "req/CPU s", format: count, ratio: true },
      { key: "p99", label: "p99 ms", short: "p99", format: (v) => v.toFixed(1), ratio: true },
      { key: "rss", label: "RSS after load MB", short: "RSS", format: (v) => v.toFixed(1), ratio: true },
      { key: "cold", label: "cold start ms", short: "cold start", format: (v) => v.toFixed(0), ratio: true },
      { key: "jsGz", label: "JS shipped KB (gzip -9)", short: "JS gz", format: kb, ratio: true },
      { key: "jsRaw", label: "JS shipped KB (raw)", short: "JS raw", format: kb },
      { key: "errors", label: "errors", format: String },
    ],
    rows,
  }];
}
