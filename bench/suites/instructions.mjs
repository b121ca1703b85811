import { hasCallgrind, instructionsPerRequest } from "../lib/callgrind.mjs";
import { endpoints, servers as httpServers } from "./http.mjs";
import { BODY as VALIDATION_BODY, servers as validationServers } from "./validation.mjs";

// The HTTP suite's endpoints counted in CPU instructions instead of timed: each server runs under
// valgrind's callgrind, is warmed up on keep-alive connections, and only the next requests on the
// same connections are counted. Instruction counts do not move with whatever else the machine is
// doing, so small differences show up that a timed run on a shared machine buries in noise.
// Kernel time (the socket writes) is not counted, and instructions are not seconds: this
// complements the HTTP suite, it does not replace it. Opt-in: `node run.mjs --suite instructions`.

export const title = "HTTP API in instructions (callgrind)";
export const optIn = true;

// Slower peers under valgrind (Express, Next.js) add minutes and nothing the timed suite lacks.
const NAMES = new Set(["tandem", "node", "fastify", "hono"]);
const http = httpServers.filter((server) => NAMES.has(server.name));
// Issue 4's validated POST, counted the same way; these servers are the validation suite's, with
// names of their own (validation-tandem, validation-fastify, ...) for --only.
const validation = validationServers.map((server) => ({
  ...server,
  name: `validation-${server.name}`,
  label: `${server.label} (validated POST)`,
}));
export const servers = [...http, ...validation];
const VALIDATED = {
  name: "validated",
  method: "POST",
  path: "/api/users",
  title: "POST /api/users (10-field JSON body, validated)",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(VALIDATION_BODY),
};

const WARMUP = Number(process.env.BENCH_INSTRUCTIONS_WARMUP ?? 30_000);
// A comma-separated list of endpoint names (json, users, echo, mw-json, mw-users, mw-echo, validated) to count only those.
const ONLY = process.env.BENCH_INSTRUCTIONS_ENDPOINTS?.split(",")
  .map((name) => name.trim())
  .filter(Boolean);
const MEASURED = Number(process.env.BENCH_INSTRUCTIONS_REQUESTS ?? 10_000);
const CONNECTIONS = 20;

/** The raw bytes of one request for `endpoint`, with the headers (and their case) wrk sends. */
function requestBytes(endpoint, port) {
  const headers = { Host: `127.0.0.1:${port}`, ...endpoint.headers };
  if (endpoint.body !== undefined) headers["Content-Length"] = String(Buffer.byteLength(endpoint.body));
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  return `${endpoint.method} ${endpoint.path} HTTP/1.1\r\n${head}\r\n${endpoint.body ?? ""}`;
}

/** Instructions per request for one server and endpoint. */
function count(server, endpoint, pinning, readyPath) {
  // Ready when GET /api/json (/health for the validation servers) answers: the echo endpoints take
  // only POST, the /mw ones a token.
  return instructionsPerRequest(server, pinning, {
    readyPath,
    request: (port) => requestBytes(endpoint, port),
    // Every endpoint answers 200 with a JSON body: an empty one is as wrong as another status.
    accept: (head, length) => head.startsWith("HTTP/1.1 200") && length > 0,
    warmup: WARMUP,
    measured: MEASURED,
    connections: CONNECTIONS,
  });
}

export async function run(ctx) {
  if (!hasCallgrind()) {
    ctx.log("valgrind (callgrind) is not installed: suite skipped (Debian: apt-get install valgrind)");
    return [{ title, description: "Not measured: valgrind is not installed.", metrics: [], rows: [] }];
  }
  const sections = [];
  const plan = [
    ...endpoints.map((endpoint) => ({ endpoint, list: ctx.servers(http), readyPath: "/api/json" })),
    { endpoint: VALIDATED, list: ctx.servers(validation), readyPath: "/health" },
  ];
  for (const { endpoint, list, readyPath } of plan) {
    if (list.length === 0 || (ONLY !== undefined && !ONLY.includes(endpoint.name))) continue;
    const rows = [];
    for (const server of list) {
      if (server.build && !server.built) {
        ctx.log(`  building ${server.label}`);
        await server.build(ctx.log);
        server.built = true;
      }
      try {
        const value = await count(server, endpoint, ctx.pinning, readyPath);
        ctx.log(`  ${endpoint.name} ${server.label}: ${Math.round(value)} instructions per request`);
        // The report's ratios are to the row named "tandem": the validation rows take their own names back.
        rows.push({ server: server.name.replace(/^validation-/, ""), label: server.label, values: { instructions: value } });
      } catch (error) {
        ctx.log(`  ${endpoint.name} ${server.label}: FAILED ${error.message.split("\n")[0]}`);
        rows.push({
          server: server.name.replace(/^validation-/, ""),
          label: server.label,
          values: {},
          note: `failed: ${error.message.split("\n")[0]}`,
        });
      }
    }
    sections.push({
      title: `${endpoint.method} ${endpoint.path}`,
      description: `${MEASURED.toLocaleString("en-US")} requests counted after ${WARMUP.toLocaleString("en-US")} warm-up requests on the same ${CONNECTIONS} connections. Fewer is better; the ratio is Tandem's count divided by the peer's, so under 1.0x means Tandem ran fewer instructions.`,
      metrics: [
        {
          key: "instructions",
          label: "instructions per request",
          short: "instructions",
          format: (v) => Math.round(v).toLocaleString("en-US"),
          ratio: true,
        },
      ],
      rows,
    });
  }
  return sections;
}
