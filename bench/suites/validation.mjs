import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { isDeepStrictEqual } from "node:util";
import { launch, median } from "../lib/lifecycle.mjs";
import { packageVersion } from "../lib/machine.mjs";

// Issue 4's two targets, side by side:
// 1. POST with a 10-field JSON body, validated by Tandem's defineHandler (zod 4, valibot) and by
//    Fastify's own JSON-schema validation (ajv): same rules, same answer, same 400 for bad input.
// 2. `tsc --noEmit` on a generated 500-route app, with and without the typed client calling
//    every route. The servers are inline scripts so the suite needs no files outside this one.

export const title = "Validation and type-check cost (issue 4)";

const exec = promisify(execFile);
const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));
const REPO_DIR = join(BENCH_DIR, "..");
const TANDEM_PKG = join(REPO_DIR, "packages", "tandem");
const repoVersion = (name) => JSON.parse(readFileSync(join(REPO_DIR, "node_modules", name, "package.json"), "utf8")).version;
const dist = (path) => pathToFileURL(join(TANDEM_PKG, "dist", path)).href;

export const BODY = {
  name: "Ada Lovelace",
  email: "ada@example.com",
  age: 36,
  active: true,
  role: "admin",
  tags: ["math", "poetry"],
  score: 9.5,
  country: "GB",
  zip: "12345",
  bio: "Wrote the first published program.",
};
const BAD = { ...BODY, email: "not-an-email", age: -1 };
const EXPECT = { ok: true, name: BODY.name, tags: 2 };
const ANSWER = "({ ok: true, name: body.name, tags: body.tags.length })";

const ZOD = `z.object({
  name: z.string().min(1).max(100), email: z.email(), age: z.number().int().min(0).max(150),
  active: z.boolean(), role: z.enum(["admin", "user", "guest"]), tags: z.array(z.string().max(30)).max(10),
  score: z.number().min(0).max(10), country: z.string().length(2), zip: z.string().regex(/^\\d{5}$/),
  bio: z.string().max(500).optional(),
})`;

const VALIBOT = `v.object({
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(100)), email: v.pipe(v.string(), v.email()),
  age: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(150)), active: v.boolean(),
  role: v.picklist(["admin", "user", "guest"]), tags: v.pipe(v.array(v.pipe(v.string(), v.maxLength(30))), v.maxLength(10)),
  score: v.pipe(v.number(), v.minValue(0), v.maxValue(10)), country: v.pipe(v.string(), v.length(2)),
  zip: v.pipe(v.string(), v.regex(/^\\d{5}$/)), bio: v.optional(v.pipe(v.string(), v.maxLength(500))),
})`;

// arktype with its default for undeclared keys (kept, not stripped): its "+": "delete" mode costs
// about 10 µs per call in arktype 2.2, forty times its default, and the measured body has no
// undeclared keys, so the answer is the same either way.
const ARKTYPE = `type({
  name: "1 <= string <= 100", email: "string.email", age: "0 <= number.integer <= 150", active: "boolean",
  role: "'admin' | 'user' | 'guest'", tags: "(string <= 30)[] <= 10", score: "0 <= number <= 10",
  country: "string == 2", zip: /^\\d{5}$/, "bio?": "string <= 500",
})`;

const JSON_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["name", "email", "age", "active", "role", "tags", "score", "country", "zip"],
  properties: {
    name: { type: "string", minLength: 1, maxLength: 100 },
    email: { type: "string", format: "email" },
    age: { type: "integer", minimum: 0, maximum: 150 },
    active: { type: "boolean" },
    role: { type: "string", enum: ["admin", "user", "guest"] },
    tags: { type: "array", maxItems: 10, items: { type: "string", maxLength: 30 } },
    score: { type: "number", minimum: 0, maximum: 10 },
    country: { type: "string", minLength: 2, maxLength: 2 },
    zip: { type: "string", pattern: "^\\d{5}$" },
    bio: { type: "string", maxLength: 500 },
  },
};

// The Tandem servers run the app the way `tandem start` does: app.handle with app.recover.
function tandemScript(imports, schema) {
  return `
import { createApp } from ${JSON.stringify(dist("app/create-app.js"))};
import { serve } from ${JSON.stringify(dist("server/serve.js"))};
import { defineHandler } from ${JSON.stringify(dist("api/define-handler.js"))};
${imports}
const POST = defineHandler({ body: ${schema} }, ({ body }) => ${ANSWER});
const app = createApp({ routes: [
  { pattern: "/api/users", route: () => ({ POST }) },
  { pattern: "/health", route: () => ({ GET: () => Response.json({ ok: true }) }) },
] });
await serve({ fetch: app.handle, recover: app.recover, port: Number(process.env.PORT), host: "127.0.0.1", handleSignals: true });
`;
}

const TANDEM_PLAIN = `
import { createApp } from ${JSON.stringify(dist("app/create-app.js"))};
import { serve } from ${JSON.stringify(dist("server/serve.js"))};
async function POST(request) { const body = await request.json(); return Response.json(${ANSWER}); }
const app = createApp({ routes: [
  { pattern: "/api/users", route: () => ({ POST }) },
  { pattern: "/health", route: () => ({ GET: () => Response.json({ ok: true }) }) },
] });
await serve({ fetch: app.handle, recover: app.recover, port: Number(process.env.PORT), host: "127.0.0.1", handleSignals: true });
`;

const FASTIFY = `
import Fastify from "fastify";
const fastify = Fastify({ logger: false });
fastify.get("/health", async () => ({ ok: true }));
fastify.post("/api/users", { schema: { body: ${JSON.stringify(JSON_SCHEMA)} } }, async (request) => { const body = request.body; return ${ANSWER}; });
await fastify.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
`;

// The same zod schema in Fastify, through a validator compiler as Fastify's validation docs show
// for other libraries: not a target, it separates the server's share from the library's.
const FASTIFY_ZOD = `
import Fastify from "fastify";
import { z } from "zod";
const fastify = Fastify({ logger: false });
fastify.setValidatorCompiler(({ schema }) => (data) => {
  const result = schema.safeParse(data);
  return result.success ? { value: result.data } : { error: result.error };
});
fastify.get("/health", async () => ({ ok: true }));
fastify.post("/api/users", { schema: { body: ${ZOD} } }, async (request) => { const body = request.body; return ${ANSWER}; });
await fastify.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
`;

const env = (port) => ({ ...process.env, NODE_ENV: "production", PORT: String(port) });
const inline = (code) => (port) => ({ cmd: process.execPath, args: ["--input-type=module", "-e", code], cwd: BENCH_DIR, env: env(port) });

// One build per run, not one per Tandem server; under flock when there is one, since other
// people's builds of the same work tree must not interleave with it.
let built;
const buildTandem = () => (built ??= compileTandem());

async function compileTandem() {
  const npm = ["npm", "run", "build", "-w", "tandem"];
  const [cmd, ...args] = (await exec("flock", ["--version"]).then(
    () => true,
    () => false,
  ))
    ? ["flock", "/tmp/tandem-build.lock", ...npm]
    : npm;
  try {
    await exec(cmd, args, { cwd: REPO_DIR, timeout: 10 * 60_000 });
  } catch (error) {
    if (!existsSync(join(TANDEM_PKG, "dist", "api", "define-handler.js"))) throw error;
    return `compiling packages/tandem failed, measured the existing dist/: ${String(error.message).split("\n")[0]}`;
  }
  return undefined;
}

export const servers = [
  {
    name: "tandem",
    label: "Tandem + zod 4",
    version: () => `zod ${repoVersion("zod")}`,
    build: buildTandem,
    start: inline(tandemScript('import { z } from "zod";', ZOD)),
  },
  {
    name: "tandem-arktype",
    label: "Tandem + arktype",
    version: () => `arktype ${repoVersion("arktype")}`,
    build: buildTandem,
    start: inline(tandemScript('import { type } from "arktype";', ARKTYPE)),
  },
  {
    name: "tandem-valibot",
    label: "Tandem + valibot",
    version: () => `valibot ${repoVersion("valibot")}`,
    build: buildTandem,
    start: inline(tandemScript('import * as v from "valibot";', VALIBOT)),
  },
  // Baseline, not a contender: the same route without any validation, to separate server cost from validation cost.
  {
    name: "tandem-plain",
    label: "Tandem, no validation (baseline)",
    version: () => "plain handler",
    build: buildTandem,
    start: inline(TANDEM_PLAIN),
    acceptsBad: true,
  },
  {
    name: "fastify-zod",
    label: "Fastify + zod 4 (validator compiler)",
    version: () => `fastify ${packageVersion("fastify")}, zod ${repoVersion("zod")}`,
    start: inline(FASTIFY_ZOD),
  },
  { name: "fastify", label: "Fastify (ajv JSON schema)", version: () => `fastify ${packageVersion("fastify")}`, start: inline(FASTIFY) },
];

async function verify(baseUrl, server) {
  const post = (body) =>
    fetch(`${baseUrl}/api/users`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const good = await post(BODY);
  const answer = await good.json().catch(() => undefined);
  if (good.status !== 200 || !isDeepStrictEqual(answer, EXPECT)) return `valid body answered ${good.status} ${JSON.stringify(answer)}`;
  const bad = await post(BAD);
  await bad.arrayBuffer();
  if (!server.acceptsBad && bad.status !== 400) return `invalid body answered ${bad.status}, expected 400`;
  return null;
}

// Each server is measured in rounds, and the rounds alternate the servers in a rotated order with
// all of them running: load from elsewhere on a shared machine then lands on every server alike
// instead of on whichever happened to run during it. Figures are per-server medians of rounds.
const ROUNDS = 5;

/** Builds (once), starts and checks one server; an entry without `running` (and a note) when it cannot be measured. */
async function startServer(server, ctx) {
  const notes = [];
  if (server.build) {
    const warning = await server.build(ctx.log);
    if (warning) notes.push(warning);
  }
  const running = await launch(server, ctx.pinning, "/health");
  const problem = await verify(running.baseUrl, server).catch((error) => error.message);
  if (problem) {
    await running.proc.stop();
    return { server, notes: [...notes, `not measured: ${problem}`] };
  }
  return { server, running, notes, valid: [], invalid: [] };
}

/** One timed run of `body` against a started server, with the server's CPU time over it. */
async function drive(entry, ctx, body, seconds) {
  const { running } = entry;
  const request = {
    url: `${running.baseUrl}/api/users`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    connections: ctx.options.connections,
    seconds,
  };
  // Server CPU time per request: on a shared machine req/s mostly measures the neighbours.
  const cpuBefore = running.proc.cpuSeconds();
  const result = await ctx.load.drive(request);
  const cpu = running.proc.cpuSeconds() - cpuBefore;
  return { ...result, perCpu: cpu > 0 ? result.requests / cpu : undefined };
}

async function measureAll(list, ctx) {
  const { options, log } = ctx;
  const rounds = options.quick ? 3 : ROUNDS;
  const seconds = Math.max(1, Math.round(options.duration / rounds));
  const entries = [];
  try {
    for (const server of list) {
      log(`${server.label} (${server.version()})`);
      try {
        entries.push(await startServer(server, ctx));
      } catch (error) {
        log(`  FAILED: ${error.message}`);
        entries.push({ server, notes: [`failed: ${error.message.split("\n")[0]}`] });
      }
    }
    const live = entries.filter((entry) => entry.running);
    // A server that fails under load keeps the rounds it finished; the others go on without it.
    const attempt = async (entry, step) => {
      if (entry.failed) return;
      try {
        await step();
      } catch (error) {
        entry.failed = true;
        entry.notes.push(`failed under load: ${error.message.split("\n")[0]}`);
        log(`  ${entry.server.label} FAILED: ${error.message}`);
      }
    };
    for (const entry of live) {
      await attempt(entry, async () => {
        await drive(entry, ctx, BODY, options.warmup);
        await drive(entry, ctx, BAD, Math.max(1, Math.round(options.warmup / 2)));
      });
    }
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < live.length; i++) {
        const entry = live[(i + round) % live.length];
        await attempt(entry, async () => {
          const valid = await drive(entry, ctx, BODY, seconds);
          const invalid = await drive(entry, ctx, BAD, seconds);
          entry.valid.push(valid);
          entry.invalid.push(invalid);
          log(
            `  round ${round + 1}/${rounds} ${entry.server.label}: valid ${Math.round(valid.requestsPerSec)} req/s, ${Math.round(valid.perCpu ?? 0)} req per CPU s; invalid ${Math.round(invalid.requestsPerSec)} req/s, ${Math.round(invalid.perCpu ?? 0)} req per CPU s`,
          );
        });
      }
    }
    for (const entry of live) if (!entry.failed) entry.rss = entry.running.proc.rssMb();
  } finally {
    await Promise.all(entries.filter((entry) => entry.running).map((entry) => entry.running.proc.stop()));
  }
  return entries;
}

// ---- tsc cost on a generated 500-route app ----

const ROUTES = 500;

function routeFile(i) {
  return `import { z } from "zod";
import { defineHandler } from ${JSON.stringify(join(TANDEM_PKG, "src/api/define-handler.js"))};

export const GET = defineHandler(
  { params: z.object({ id: z.string() }), query: z.object({ page: z.coerce.number().optional() }) },
  ({ params }) => ({ id: params.id, kind: "item${i}" as const, count: ${i} }),
);

export const POST = defineHandler(
  { params: z.object({ id: z.string() }), body: z.object({ title: z.string(), n${i}: z.number().optional() }), status: 201 },
  ({ params, body }) => ({ id: params.id, title: body.title }),
);
`;
}

export async function generateApp(dir, withClient) {
  const { renderRouteTypes } = await import(dist("build/typegen.js"));
  const routes = [];
  for (let i = 0; i < ROUTES; i++) {
    const folder = join(dir, "app", "api", `r${i}`, "[id]");
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, "route.ts"), routeFile(i));
    routes.push({ pattern: `/api/r${i}/[id]`, route: join(folder, "route.ts"), segments: [] });
  }
  const outDir = join(dir, ".tandem", "types");
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, "routes.d.ts"), renderRouteTypes({ root: dir, appDir: join(dir, "app"), routes }, outDir));
  // One small function per route: a single 1,000-call function trips tsc's control-flow size limit.
  // Every call reads its data field so the response types are computed too.
  const calls = [];
  for (let i = 0; i < ROUTES; i++) {
    calls.push(
      withClient
        ? `export async function call${i}() {
  const r = await api("/api/r${i}/[id]").GET({ params: { id: "1" } });
  const c = await api("/api/r${i}/[id]").POST({ params: { id: "1" }, body: { title: "t" } });
  return (r.ok ? r.data.count : 0) + (c.ok ? c.data.title.length : 0);
}`
        : `export async function call${i}() {
  const r = (await (await fetch("/api/r${i}/1")).json()) as { count: number };
  const c = (await (await fetch("/api/r${i}/1", { method: "POST", body: JSON.stringify({ title: "t" }) })).json()) as { title: string };
  return r.count + c.title.length;
}`,
    );
  }
  const header = withClient
    ? `import { createClient } from ${JSON.stringify(join(TANDEM_PKG, "src/client/index.js"))};
import type { Routes } from "./.tandem/types/routes.js";
const api = createClient<Routes>("http://127.0.0.1:3000");\n`
    : "";
  await writeFile(join(dir, "calls.ts"), `${header}${calls.join("\n")}\n`);
  // A Node app has node's types (and Tandem's server code, which the route files reach, uses Buffer).
  const compilerOptions = {
    strict: true,
    noEmit: true,
    module: "nodenext",
    target: "es2023",
    lib: ["es2023", "dom", "dom.iterable"],
    skipLibCheck: true,
    types: ["node"],
  };
  await writeFile(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["app", "calls.ts", ".tandem/types"] }));
}

// tsc runs inside a node that reports its own CPU time on exit: on a shared machine wall time
// mostly measures the neighbours, CPU time measures tsc.
const TSC_WITH_CPU = `process.on("exit", () => { const u = process.cpuUsage(); console.log("CPU seconds: " + (u.user + u.system) / 1e6); });
require(${JSON.stringify(join(REPO_DIR, "node_modules", "typescript", "lib", "tsc.js"))});`;

async function tscSeconds(dir) {
  const started = performance.now();
  // The first argument after -e code is dropped by tsc (it reads argv from index 2).
  const args = ["-e", TSC_WITH_CPU, "tsc", "-p", join(dir, "tsconfig.json"), "--extendedDiagnostics"];
  const { stdout } = await exec(process.execPath, args, { cwd: dir, timeout: 10 * 60_000, maxBuffer: 16 * 1024 * 1024 }).catch((error) => {
    throw new Error(`tsc failed in ${dir}:\n${String(error.stdout).split("\n").slice(0, 15).join("\n")}`);
  });
  const wall = (performance.now() - started) / 1000;
  const cpu = Number(/CPU seconds: ([\d.]+)/.exec(stdout)?.[1] ?? NaN);
  const instantiations = Number(/Instantiations:\s+(\d+)/.exec(stdout)?.[1] ?? NaN);
  const memory = Number(/Memory used:\s+(\d+)K/.exec(stdout)?.[1] ?? NaN) / 1024;
  return { wall, cpu, instantiations, memory };
}

async function measureTsc(ctx) {
  const root = await mkdtemp(join(tmpdir(), "tandem-tsc-bench-"));
  // zod and typescript's lib files come from the repository's node_modules.
  await symlink(join(REPO_DIR, "node_modules"), join(root, "node_modules"), "dir");
  const runs = ctx.options.quick ? 1 : 3;
  try {
    const rows = [];
    for (const withClient of [true, false]) {
      const dir = join(root, withClient ? "with-client" : "without-client");
      await generateApp(dir, withClient);
      const samples = [];
      for (let i = 0; i < runs; i++) samples.push(await tscSeconds(dir));
      const pick = (key) => median(samples.map((s) => s[key]));
      ctx.log(`  tsc ${withClient ? "with" : "without"} typed client: CPU ${pick("cpu").toFixed(2)} s, wall ${pick("wall").toFixed(2)} s`);
      rows.push({
        server: withClient ? "tandem" : "plain",
        label: withClient
          ? `${ROUTES} routes + typed client (${ROUTES * 2} calls)`
          : `${ROUTES} routes + untyped fetch (${ROUTES * 2} calls)`,
        values: { cpu: pick("cpu"), wall: pick("wall"), instantiations: pick("instantiations"), memory: pick("memory") },
        note: `median of ${runs}`,
      });
    }
    return rows;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

export async function run(ctx) {
  const entries = await measureAll(ctx.servers(servers), ctx);
  const ms = (v) => (v < 10 ? v.toFixed(2) : v.toFixed(0));
  const rps = (v) => Math.round(v).toLocaleString("en-US");
  const pick = (results, key) => (results.length ? median(results.map((r) => r[key]).filter((v) => v !== undefined)) : undefined);
  const rounds = ctx.options.quick ? 3 : ROUNDS;
  const sections = [
    {
      title: "POST /api/users, 10-field JSON body, validated",
      description: `Valid body (200) and invalid body (400) on the same route; Tandem runs \`tandem start\`'s request path (serve + createApp + defineHandler) from dist/. Every figure is a server's median of ${rounds} rounds that alternate the servers, all of them running.`,
      metrics: [
        { key: "rps", label: "valid req/s", format: rps, ratio: true },
        { key: "perCpu", label: "valid req per server CPU s", short: "req/CPU s", format: rps, ratio: true },
        { key: "p99", label: "valid p99 ms", short: "p99", format: ms, ratio: true },
        { key: "bad", label: "invalid (400) req/s", short: "400 req/s", format: rps, ratio: true },
        { key: "badPerCpu", label: "invalid (400) req per server CPU s", short: "400 req/CPU s", format: rps, ratio: true },
        { key: "rss", label: "RSS MB", short: "RSS", format: (v) => v.toFixed(1), ratio: true },
      ],
      rows: entries.map(({ server, valid, invalid, rss, notes }) => ({
        server: server.name,
        label: server.label,
        values: valid?.length
          ? {
              rps: pick(valid, "requestsPerSec"),
              perCpu: pick(valid, "perCpu"),
              p99: pick(valid, "p99Ms"),
              bad: pick(invalid, "requestsPerSec"),
              badPerCpu: pick(invalid, "perCpu"),
              rss,
            }
          : {},
        note: notes.length ? notes.join("; ") : undefined,
      })),
    },
  ];
  // BENCH_SKIP_TSC=1 measures only the HTTP half (the tsc half takes minutes), for iterating on the request path.
  if (process.env.BENCH_SKIP_TSC === "1") {
    ctx.log("tsc measurement skipped (BENCH_SKIP_TSC=1)");
    return sections;
  }
  ctx.log(`tsc --noEmit on a generated ${ROUTES}-route app`);
  try {
    sections.push({
      title: `tsc --noEmit, ${ROUTES} generated routes (defineHandler + zod), with vs without the typed client`,
      description:
        "Target: with the typed client under 2x the time without it. The Tandem/peer column is with/without; CPU time is the fair one on a shared machine.",
      metrics: [
        { key: "cpu", label: "tsc CPU s", short: "CPU", format: (v) => v.toFixed(2), ratio: true },
        { key: "wall", label: "wall s", short: "wall", format: (v) => v.toFixed(2), ratio: true },
        {
          key: "instantiations",
          label: "type instantiations",
          short: "instantiations",
          format: (v) => Math.round(v).toLocaleString("en-US"),
          ratio: true,
        },
        { key: "memory", label: "memory MB", short: "memory", format: (v) => v.toFixed(0), ratio: true },
      ],
      rows: await measureTsc(ctx),
    });
  } catch (error) {
    ctx.log(`  tsc measurement FAILED: ${error.message}`);
  }
  return sections;
}
