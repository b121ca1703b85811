import { loadavg } from "node:os";
import { isDeepStrictEqual } from "node:util";
import { coldStarts, median } from "../lib/lifecycle.mjs";
import { nextApp, nodeScript, tandemApp } from "../lib/servers.mjs";

// The HTTP API suite: the same six endpoints on every server, first without and then behind a
// middleware that checks a bearer token and adds a response header.

export const title = "HTTP API";

export const servers = [
  tandemApp({ dir: "apps/tandem" }),
  nodeScript({ name: "node", label: "node:http", file: "peers/node-http.mjs", packages: [] }),
  nodeScript({ name: "express", label: "Express", file: "peers/express.mjs", packages: ["express"] }),
  nodeScript({ name: "fastify", label: "Fastify", file: "peers/fastify.mjs", packages: ["fastify"] }),
  nodeScript({ name: "hono", label: "Hono", file: "peers/hono.mjs", packages: ["hono", "@hono/node-server"] }),
  nextApp({ dir: "peers/next" }),
];

const TOKEN = process.env.BENCH_TOKEN ?? "bench-token";
const MW_HEADER = "x-bench-mw";

/** A JSON document of exactly 1024 bytes, shaped like a small API payload. */
function echoPayload() {
  const value = { id: "3f9c2a", title: "Benchmark payload", tags: ["bench", "http", "echo"], count: 42, done: false, text: "" };
  value.text = "x".repeat(1024 - JSON.stringify(value).length);
  return value;
}

const ECHO = echoPayload();
const ECHO_TEXT = JSON.stringify(ECHO);
if (Buffer.byteLength(ECHO_TEXT) !== 1024) throw new Error("echo payload must be exactly 1 KB");

const base = [
  { name: "json", title: "GET /api/json", method: "GET", path: "/json", expect: { hello: "world" } },
  { name: "users", title: "GET /api/users/:id", method: "GET", path: "/users/42", expect: { id: "42" } },
  {
    name: "echo",
    title: "POST /api/echo (1 KB JSON)",
    method: "POST",
    path: "/echo",
    headers: { "content-type": "application/json" },
    body: ECHO_TEXT,
    expect: ECHO,
  },
];

export const endpoints = [
  ...base.map((e) => ({ ...e, path: `/api${e.path}`, headers: e.headers ?? {} })),
  ...base.map((e) => ({
    ...e,
    name: `mw-${e.name}`,
    title: `${e.title.replace("/api/", "/mw/")} behind middleware`,
    path: `/mw${e.path}`,
    headers: { ...e.headers, authorization: `Bearer ${TOKEN}` },
    middleware: true,
  })),
];

/** Checks one endpoint answers correctly before it is measured; returns a problem or null. */
async function verify(baseUrl, endpoint) {
  const url = baseUrl + endpoint.path;
  const init = { method: endpoint.method, headers: endpoint.headers, body: endpoint.body };
  const res = await fetch(url, init);
  const text = await res.text();
  if (res.status !== 200) return `${endpoint.method} ${endpoint.path} answered ${res.status}: ${text.slice(0, 200)}`;
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return `${endpoint.method} ${endpoint.path} answered non-JSON: ${text.slice(0, 200)}`;
  }
  if (!isDeepStrictEqual(body, endpoint.expect)) return `${endpoint.method} ${endpoint.path} answered ${text.slice(0, 200)}`;
  if (!endpoint.middleware) return null;
  if (res.headers.get(MW_HEADER) !== "ok") return `${endpoint.path} lacks the ${MW_HEADER} header the middleware sets`;
  const { authorization, ...anonymous } = endpoint.headers;
  const denied = await fetch(url, { ...init, headers: anonymous });
  await denied.arrayBuffer();
  if (denied.status !== 401) return `${endpoint.path} without a token answered ${denied.status}, expected 401`;
  return null;
}

const count = (v) => Math.round(v).toLocaleString("en-US");
const mb = (v) => v.toFixed(1);
const ms = (v) => (v < 10 ? v.toFixed(2) : v.toFixed(0));
const METRICS = [
  { key: "rps", label: "req/s", format: count, ratio: true },
  { key: "perCpu", label: "req per server CPU s", short: "req/CPU s", format: count, ratio: true },
  { key: "p99", label: "p99 ms", short: "p99", format: ms, ratio: true },
  { key: "rss", label: "RSS after load MB", short: "RSS", format: mb, ratio: true },
  { key: "cold", label: "cold start ms", short: "cold start", format: ms, ratio: true },
  { key: "errors", label: "errors", format: String },
];

/** Builds the server and measures its cold starts; the last process stays up for the load phase. */
async function startServer(server, ctx) {
  const { options, pinning, log } = ctx;
  // Other work on the machine moves every number; the load average tells the reader how much.
  const result = { cold: null, endpoints: {}, notes: [], load: loadavg()[0] };
  if (server.build) {
    log(`  building ${server.label}`);
    const warning = await server.build(log);
    if (warning) result.notes.push(warning);
  }
  log(`  ${options.coldStarts} cold starts`);
  const running = await coldStarts(server, pinning, endpoints[0].path, options.coldStarts);
  result.cold = running;
  log(`  cold start median ${running.medianMs.toFixed(0)} ms (${running.samples.map((s) => s.toFixed(0)).join(", ")})`);
  return { running, result };
}

/** One measured run of `endpoint` on a running server: req/s, p99, and requests per server CPU second. */
async function measureOnce(running, endpoint, ctx) {
  const request = { url: running.baseUrl + endpoint.path, ...endpoint, connections: ctx.options.connections };
  const cpuBefore = running.proc.cpuSeconds();
  const measured = await ctx.load.drive({ ...request, seconds: ctx.options.duration });
  const cpu = running.proc.cpuSeconds() - cpuBefore;
  return { ...measured, cpu, perCpu: cpu > 0 ? measured.requests / cpu : undefined };
}

function warmUp(running, endpoint, ctx) {
  const request = { url: running.baseUrl + endpoint.path, ...endpoint, connections: ctx.options.connections };
  return ctx.load.drive({ ...request, seconds: ctx.options.warmup });
}

const logLine = (m) =>
  `${Math.round(m.requestsPerSec)} req/s, ${Math.round(m.perCpu ?? 0)} req per CPU s (${m.cpu.toFixed(1)} CPU s), p99 ${m.p99Ms.toFixed(2)} ms, RSS ${m.rss.toFixed(1)} MB, errors ${m.errors + m.non2xx}`;

/** Checks the answer, then records a problem instead of a measurement when it is wrong. */
async function verified(running, endpoint, result, ctx) {
  const problem = await verify(running.baseUrl, endpoint);
  if (!problem) return true;
  result.notes.push(`${endpoint.name} not measured: ${problem}`);
  ctx.log(`  ${endpoint.name}: WRONG ANSWER, not measured: ${problem}`);
  return false;
}

async function measureServer(server, ctx) {
  const { running, result } = await startServer(server, ctx);
  try {
    for (const endpoint of endpoints) {
      if (!(await verified(running, endpoint, result, ctx))) continue;
      await warmUp(running, endpoint, ctx);
      const measured = { ...(await measureOnce(running, endpoint, ctx)), rss: running.proc.rssMb() };
      result.endpoints[endpoint.name] = measured;
      ctx.log(`  ${endpoint.name}: ${logLine(measured)}`);
    }
  } finally {
    await running.proc.stop();
  }
  return result;
}

/**
 * The median of each figure over a server's rounds; errors are summed. RSS too is read after each
 * round: once, after the last, it would mostly say when a major collection last ran.
 */
function medianOf(samples) {
  const pick = (key) => median(samples.map((m) => m[key] ?? 0));
  return {
    requestsPerSec: pick("requestsPerSec"),
    perCpu: pick("perCpu"),
    p99Ms: pick("p99Ms"),
    cpu: pick("cpu"),
    errors: samples.reduce((sum, m) => sum + m.errors, 0),
    non2xx: samples.reduce((sum, m) => sum + m.non2xx, 0),
    rss: pick("rss"),
  };
}

/**
 * --rounds n: every server is up at once (all pinned to the same core, idle but one), and each
 * endpoint is measured in n rounds that rotate the servers' order. A slow spell of the machine
 * then lands on every server alike instead of on whichever one ran during it.
 */
async function measureInRounds(list, ctx) {
  const { options, log } = ctx;
  const up = [];
  const results = new Map();
  try {
    for (const server of list) {
      log(`${server.label} (${server.version()})`);
      try {
        const { running, result } = await startServer(server, ctx);
        up.push({ server, running, result });
      } catch (error) {
        log(`  FAILED: ${error.message}`);
        results.set(server, { cold: null, endpoints: {}, notes: [`failed: ${error.message.split("\n")[0]}`], load: undefined });
      }
    }
    for (const endpoint of endpoints) {
      log(`${endpoint.title}: ${options.rounds} rounds`);
      const ready = [];
      for (const entry of up) if (await verified(entry.running, endpoint, entry.result, ctx)) ready.push(entry);
      for (const entry of ready) await warmUp(entry.running, endpoint, ctx);
      const samples = new Map(ready.map((entry) => [entry, []]));
      for (let round = 0; round < options.rounds; round++) {
        const order = ready.map((_, i) => ready[(i + round) % ready.length]);
        for (const entry of order) {
          samples.get(entry).push({ ...(await measureOnce(entry.running, endpoint, ctx)), rss: entry.running.proc.rssMb() });
        }
      }
      for (const entry of ready) {
        const m = medianOf(samples.get(entry));
        entry.result.endpoints[endpoint.name] = m;
        log(
          `  ${entry.server.label}: ${logLine(m)} (median of ${options.rounds}: ${samples
            .get(entry)
            .map((s) => Math.round(s.perCpu ?? 0))
            .join(", ")} req/CPU s)`,
        );
      }
    }
  } finally {
    for (const { running } of up) await running.proc.stop();
  }
  // The report keeps the servers' own order.
  for (const server of list) {
    const entry = up.find((e) => e.server === server);
    if (entry) results.set(server, entry.result);
  }
  return new Map(list.filter((server) => results.has(server)).map((server) => [server, results.get(server)]));
}

export async function run(ctx) {
  let results = new Map();
  if (ctx.options.rounds > 1) {
    results = await measureInRounds(ctx.servers(servers), ctx);
  } else {
    for (const server of ctx.servers(servers)) {
      ctx.log(`${server.label} (${server.version()})`);
      try {
        results.set(server, await measureServer(server, ctx));
      } catch (error) {
        ctx.log(`  FAILED: ${error.message}`);
        results.set(server, { cold: null, endpoints: {}, notes: [`failed: ${error.message.split("\n")[0]}`], load: undefined });
      }
    }
  }
  const rowsFor = (pick) => [...results].map(([server, r]) => ({ server: server.name, label: server.label, ...pick(r) }));

  const sections = endpoints.map((endpoint) => ({
    title: endpoint.title,
    metrics: METRICS,
    rows: rowsFor((r) => {
      const m = r.endpoints[endpoint.name];
      return {
        values: m
          ? { rps: m.requestsPerSec, perCpu: m.perCpu, p99: m.p99Ms, rss: m.rss, cold: r.cold?.medianMs, errors: m.errors + m.non2xx }
          : {},
        note: m
          ? m.errors + m.non2xx > 0
            ? `${m.errors} socket errors, ${m.non2xx} non-2xx answers`
            : undefined
          : "not measured (see notes below)",
      };
    }),
  }));
  sections.push({
    title: "Cold start (spawn to first 200 on GET /api/json)",
    metrics: [
      { key: "median", label: "median ms", format: ms, ratio: true, short: "median" },
      { key: "min", label: "min ms", format: ms },
      { key: "max", label: "max ms", format: ms },
      { key: "load", label: "load avg (1 min) when this server started", format: (v) => v.toFixed(2) },
    ],
    rows: rowsFor((r) => ({
      values: r.cold
        ? { median: median(r.cold.samples), min: Math.min(...r.cold.samples), max: Math.max(...r.cold.samples), load: r.load }
        : { load: r.load },
      note: r.notes.length ? r.notes.join("; ") : undefined,
    })),
  });
  return sections;
}
