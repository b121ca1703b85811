import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { benchAppCopy } from "../lib/app-copy.mjs";
import { getBytes, hasCallgrind, instructionsPerRequest } from "../lib/callgrind.mjs";
import { coldStarts } from "../lib/lifecycle.mjs";
import { nodeScript, tandemApp } from "../lib/servers.mjs";

// What logging costs (issue 18's target: Tandem at `info` with the access log on loses at most
// 10% of req/s against logging off), beside Fastify with and without its pino logger. The same
// GET /api/json on each; every server writes its lines to stdout, which the harness reads.

export const title = "Logging cost (access log on vs off, GET /api/json)";

const PATH = "/api/json";
const fastifyBase = nodeScript({ name: "fastify", label: "Fastify", file: "peers/fastify.mjs", packages: ["fastify"] });
const withEnv = (server, name, label, env) => ({
  ...server,
  name,
  label,
  start: (port) => {
    const spec = server.start(port);
    return { ...spec, env: { ...spec.env, ...env } };
  },
});

/** apps/tandem in a copy whose tandem.config.ts turns the access log on. */
function tandemLogged() {
  let copy;
  const app = {
    name: "tandem-log",
    label: "Tandem, access log on",
    version: () => tandemApp({ dir: "apps/tandem" }).version(),
    async build(log) {
      copy = benchAppCopy("apps/tandem");
      writeFileSync(join(copy.root, "tandem.config.ts"), `export default { logging: { level: "info", accessLog: true } };\n`);
      return tandemApp({ dir: copy.root }).build(log);
    },
    start: (port) => tandemApp({ dir: copy.root }).start(port),
    cleanup: () => copy?.cleanup(),
  };
  return app;
}

export const servers = [
  { ...tandemApp({ dir: "apps/tandem" }), name: "tandem", label: "Tandem, logging off" },
  tandemLogged(),
  { ...fastifyBase, label: "Fastify, logger off" },
  withEnv(fastifyBase, "fastify-log", "Fastify, pino logger on", { BENCH_LOGGER: "1" }),
];

const count = (v) => Math.round(v).toLocaleString("en-US");
const pct = (v) => `${v >= 0 ? "+" : ""}${(v * 100).toFixed(1)}%`;

export async function run(ctx) {
  if (process.env.BENCH_COUNT === "instructions") return countInstructions(ctx);
  const { options, pinning, load, log } = ctx;
  const rows = [];
  const baseline = {};
  try {
    for (const server of ctx.servers(servers)) {
      log(`${server.label} (${server.version()})`);
      const row = { server: server.name, label: server.label, values: {} };
      rows.push(row);
      try {
        if (server.build) await server.build(log);
        const running = await coldStarts(server, pinning, PATH, 1);
        try {
          const request = { url: running.baseUrl + PATH, method: "GET", headers: {}, connections: options.connections };
          await load.drive({ ...request, seconds: options.warmup });
          const cpuBefore = running.proc.cpuSeconds();
          const measured = await load.drive({ ...request, seconds: options.duration });
          const cpu = running.proc.cpuSeconds() - cpuBefore;
          const family = server.name.replace(/-log$/, "");
          if (!server.name.endsWith("-log")) baseline[family] = measured.requestsPerSec;
          row.values = {
            rps: measured.requestsPerSec,
            cpuUs: cpu > 0 ? (cpu / measured.requests) * 1e6 : undefined,
            vsOff: baseline[family] ? measured.requestsPerSec / baseline[family] - 1 : undefined,
            errors: measured.errors + measured.non2xx,
          };
          log(`  ${Math.round(measured.requestsPerSec)} req/s`);
        } finally {
          await running.proc.stop();
        }
      } catch (error) {
        row.note = `failed: ${error.message.split("\n")[0]}`;
        log(`  FAILED: ${error.message}`);
      }
    }
  } finally {
    for (const server of servers) server.cleanup?.();
  }
  return [
    {
      title: `GET ${PATH} with and without request logging`,
      description:
        "Tandem with `logging: { accessLog: true }` (one JSON line per response) against the same app without; Fastify with `logger: true` " +
        "(its pino lines per request and response) against `logger: false`. Lines go to stdout, read by the harness on the load generator's core. " +
        "The last column compares each logged row with the same server's unlogged one (run the unlogged row first).",
      metrics: [
        { key: "rps", label: "req/s", format: count },
        { key: "cpuUs", label: "server CPU µs per request", short: "CPU µs/req", format: (v) => v.toFixed(1) },
        { key: "vsOff", label: "req/s vs logging off", short: "vs off", format: pct },
        { key: "errors", label: "errors", format: String },
      ],
      rows,
    },
  ];
}

/**
 * BENCH_COUNT=instructions: each server's instructions per request under callgrind instead of
 * timed req/s, for decisions on a busy machine (the timed rows move by more than the difference
 * they are meant to show there). Kernel time is not counted: the lines' write system calls (one
 * per event-loop turn) are left to the timed run.
 */
async function countInstructions(ctx) {
  if (!hasCallgrind()) {
    ctx.log("valgrind (callgrind) is not installed: nothing counted (Debian: apt-get install valgrind)");
    return [];
  }
  const warmup = Number(process.env.BENCH_INSTRUCTIONS_WARMUP ?? 20_000);
  const measured = Number(process.env.BENCH_INSTRUCTIONS_REQUESTS ?? 10_000);
  const rows = [];
  const baseline = {};
  try {
    for (const server of ctx.servers(servers)) {
      const row = { server: server.name, label: server.label, values: {} };
      rows.push(row);
      try {
        if (server.build) await server.build(ctx.log);
        const instructions = await instructionsPerRequest(server, ctx.pinning, {
          readyPath: PATH,
          request: (port) => getBytes(PATH, port),
          accept: (head, length) => head.startsWith("HTTP/1.1 200") && length > 0,
          warmup,
          measured,
        });
        const family = server.name.replace(/-log$/, "");
        if (!server.name.endsWith("-log")) baseline[family] = instructions;
        row.values = { instructions, vsOff: baseline[family] ? instructions / baseline[family] - 1 : undefined };
        ctx.log(`  ${server.label}: ${Math.round(instructions)} instructions per request`);
      } catch (error) {
        row.note = `failed: ${error.message.split("\n")[0]}`;
        ctx.log(`  ${server.label}: FAILED ${error.message}`);
      }
    }
  } finally {
    for (const server of servers) server.cleanup?.();
  }
  return [
    {
      title: `GET ${PATH} with and without request logging, in instructions (callgrind)`,
      description: `${measured.toLocaleString("en-US")} requests counted after ${warmup.toLocaleString("en-US")} warm-up requests on 20 keep-alive connections, each server under valgrind's callgrind. User-space instructions of every thread; the lines' writes to stdout are system calls and not counted.`,
      metrics: [
        { key: "instructions", label: "instructions per request", short: "instructions", format: count },
        { key: "vsOff", label: "vs logging off", short: "vs off", format: pct },
      ],
      rows,
    },
  ];
}
