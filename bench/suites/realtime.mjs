// WebSocket suite: echo round-trips (100 clients), broadcast fan-out (1 publisher -> 1,000
// subscribers) and RSS per idle connection (10,000), for Tandem's socket.ts routes beside a bare
// `ws` server and Socket.IO 4 (when installed). The same file is also the servers: the harness
// spawns `node suites/realtime.mjs serve <name>` pinned to the server core.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { launch } from "../lib/lifecycle.mjs";

const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));
const REPO_DIR = join(BENCH_DIR, "..");
// The built package, as `tandem start` runs it (the root `npm install` builds dist/).
const TANDEM_DIST = join(REPO_DIR, "packages", "tandem", "dist");
// `ws` comes from the repository (Tandem depends on it); Socket.IO from bench/ or $SOCKETIO_DIR.
const repoRequire = createRequire(join(REPO_DIR, "packages", "tandem", "package.json"));
const sioRequire = createRequire(join(process.env.SOCKETIO_DIR ?? BENCH_DIR, "package.json"));
const { WebSocket, WebSocketServer } = repoRequire("ws");

const ECHO_CLIENTS = 100;
const SUBSCRIBERS = 1000;
const IDLE = 10_000;
const PAYLOAD = JSON.stringify({ type: "move", card: 42, column: "done", pad: "x".repeat(40) });
// What a Tandem subscriber receives for PAYLOAD published as a string on topic "room".
const topicFrameLength = Buffer.byteLength(JSON.stringify({ type: "$topic", topic: "room", data: PAYLOAD }));

function version(require, name) {
  try {
    return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")).version;
  } catch {
    return undefined;
  }
}
const hasSocketIo = version(sioRequire, "socket.io") !== undefined && version(sioRequire, "socket.io-client") !== undefined;

function script(name, label, versionText, loader) {
  return {
    name,
    label,
    version: versionText,
    start: (port) => ({
      cmd: process.execPath,
      args: [...(loader ? ["--import", "tsx"] : []), fileURLToPath(import.meta.url), "serve", name],
      cwd: REPO_DIR,
      env: { ...process.env, NODE_ENV: "production", PORT: String(port) },
    }),
  };
}

export const title = "WebSockets: echo, fan-out, idle connections";
export const servers = [
  script("tandem", "Tandem socket.ts", () => `tandem (dist), ws ${version(repoRequire, "ws")}`, false),
  script("ws", "bare ws", () => `ws ${version(repoRequire, "ws")}`, false),
  ...(hasSocketIo ? [script("socketio", "Socket.IO 4", () => `socket.io ${version(sioRequire, "socket.io")}`, false)] : []),
];

// ---------- servers (run in their own process) ----------

const health = (req, res) => {
  res.writeHead(req.url === "/health" ? 200 : 404).end("ok");
};

async function serveWs(port) {
  const server = createServer(health);
  const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 1024 * 1024 });
  wss.on("connection", (ws, req) => {
    if (req.url === "/echo") ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }));
    else
      ws.on("message", (data, isBinary) => {
        for (const client of wss.clients) if (client !== ws && client.readyState === 1) client.send(data, { binary: isBinary });
      });
  });
  server.listen(port, "127.0.0.1");
}

async function serveSocketIo(port) {
  const { Server } = sioRequire("socket.io");
  const server = createServer(health);
  const io = new Server(server, { perMessageDeflate: false, transports: ["websocket"] });
  io.on("connection", (socket) => {
    socket.on("echo", (data) => socket.emit("echo", data));
    socket.join("room");
    socket.on("pub", (data) => socket.to("room").emit("msg", data));
  });
  server.listen(port, "127.0.0.1");
}

async function serveTandem(port) {
  const load = (path) => import(pathToFileURL(join(TANDEM_DIST, path.replace(/\.ts$/, ".js"))).href);
  const [{ createApp }, { serve }, { createRealtime }, { defineSocket }, { fromNodeRequest }] = await Promise.all([
    load("app/create-app.ts"),
    load("server/serve.ts"),
    load("realtime/node.ts"),
    load("realtime/define-socket.ts"),
    load("server/request.ts"),
  ]);
  const echo = defineSocket({
    message(peer, message) {
      peer.send(message);
    },
  });
  const fanout = defineSocket({
    open(peer) {
      peer.subscribe("room");
    },
    message(peer, message) {
      peer.publish("room", message);
    },
  });
  const app = createApp({
    routes: [
      { pattern: "/health", route: () => ({ GET: () => new Response("ok") }) },
      { pattern: "/echo", socket: () => ({ default: echo }) },
      { pattern: "/fanout", socket: () => ({ default: fanout }) },
    ],
  });
  const realtime = createRealtime({ app, redisUrl: "", toRequest: (req) => fromNodeRequest(req, {}) });
  await serve({
    fetch: app.fetch,
    onUpgrade: realtime.onUpgrade,
    onShutdown: [() => realtime.close()],
    port,
    host: "127.0.0.1",
    handleSignals: true,
  });
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain && process.argv[2] === "serve") {
  const port = Number(process.env.PORT);
  const which = { ws: serveWs, socketio: serveSocketIo, tandem: serveTandem }[process.argv[3]];
  if (!which) throw new Error(`unknown server ${process.argv[3]}`);
  await which(port);
  // The bare servers have no graceful shutdown of their own; the harness sends SIGTERM.
  process.on("SIGTERM", () => process.exit(0));
}

// ---------- clients (in the harness, on the load core) ----------

/** Opens `count` connections in batches; resolves them all. */
async function openMany(kind, base, path, count) {
  const all = [];
  for (let i = 0; i < count; i += 250) {
    const batch = Array.from({ length: Math.min(250, count - i) }, () => openOne(kind, base, path));
    all.push(...(await Promise.all(batch)));
  }
  return all;
}

function openOne(kind, base, path) {
  if (kind === "socketio") {
    const { io } = sioRequire("socket.io-client");
    const socket = io(base, { transports: ["websocket"], reconnection: false, forceNew: true });
    return new Promise((resolve, reject) => {
      socket.once("connect", () => resolve(socket));
      socket.once("connect_error", reject);
    });
  }
  const ws = new WebSocket(base.replace("http", "ws") + path, { perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

/** CPU seconds (user + system) the server process has used so far, from /proc (Linux). */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return NaN;
  }
}

const closeAll = (sockets) => sockets.forEach((s) => (s.terminate ? s.terminate() : s.disconnect()));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function echo(kind, base, seconds, warmup, pid) {
  const clients = await openMany(kind, base, "/echo", ECHO_CLIENTS);
  let count = 0;
  let running = true;
  for (const c of clients) {
    if (kind === "socketio") {
      c.on("echo", () => {
        count++;
        if (running) c.emit("echo", PAYLOAD);
      });
      c.emit("echo", PAYLOAD);
    } else {
      c.on("message", () => {
        count++;
        if (running) c.send(PAYLOAD);
      });
      c.send(PAYLOAD);
    }
  }
  await sleep(warmup * 1000);
  const start = count;
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const done = count - start;
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(pid) - cpu0;
  running = false;
  closeAll(clients);
  return { rate: done / elapsed, cpuUs: (cpu * 1e6) / done };
}

async function fanout(kind, base, seconds, warmup, pid) {
  const subs = await openMany(kind, base, "/fanout", SUBSCRIBERS);
  const [pub] = await openMany(kind, base, "/fanout", 1);
  let received = 0;
  let round = 0;
  let running = true;
  const latencies = [];
  let sentAt = 0;
  const send = () => {
    sentAt = performance.now();
    if (kind === "socketio") pub.emit("pub", PAYLOAD);
    else pub.send(PAYLOAD);
  };
  const onMessage = () => {
    if (++received < SUBSCRIBERS) return;
    received = 0;
    round++;
    latencies.push(performance.now() - sentAt);
    if (running) send();
  };
  for (const s of subs) s.on(kind === "socketio" ? "msg" : "message", onMessage);
  await sleep(200); // subscriptions settle
  send();
  await sleep(warmup * 1000);
  const startRound = round;
  const startLatency = latencies.length;
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const rounds = round - startRound;
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(pid) - cpu0;
  running = false;
  const measured = latencies.slice(startLatency).sort((a, b) => a - b);
  closeAll([...subs, pub]);
  return { deliveries: (rounds * SUBSCRIBERS) / elapsed, p50: measured[measured.length >> 1], cpuUs: (cpu * 1e6) / (rounds * SUBSCRIBERS) };
}

async function idle(kind, base, proc) {
  await sleep(500);
  const before = proc.rssMb();
  const sockets = await openMany(kind, base, "/echo", IDLE);
  await sleep(2000);
  const after = proc.rssMb();
  closeAll(sockets);
  return ((after - before) * 1024) / IDLE;
}

// Timed measures run in interleaved rounds, each round in a rotated server order, and report
// each server's median: load from elsewhere on the machine then lands on every server alike
// instead of on whichever happened to run during it.
const ROUNDS = 3;
const median = (values) => {
  const sorted = values.filter((v) => v !== undefined && !Number.isNaN(v)).sort((a, b) => a - b);
  return sorted.length ? sorted[sorted.length >> 1] : undefined;
};

export async function run(ctx) {
  const { options, pinning, log } = ctx;
  const list = ctx.servers(servers);
  const measure = async (server, what, fn) => {
    const running = await launch(server, pinning, "/health");
    try {
      return await fn(running);
    } catch (error) {
      log(`  ${server.name} ${what}: ${error.message}`);
      return undefined;
    } finally {
      await running.proc.stop();
    }
  };
  const timed = {
    echo: (server, r) => echo(server.name, r.baseUrl, options.duration, options.warmup, r.proc.pid),
    "fan-out": (server, r) => fanout(server.name, r.baseUrl, options.duration, options.warmup, r.proc.pid),
  };
  const samples = new Map(list.map((server) => [server.name, { echo: [], "fan-out": [] }]));
  for (const [what, fn] of Object.entries(timed)) {
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < list.length; i++) {
        const server = list[(i + round) % list.length];
        log(`  ${server.label}: ${what}, round ${round + 1} of ${ROUNDS}`);
        const result = await measure(server, what, (r) => fn(server, r));
        samples.get(server.name)[what].push(result);
        if (result) log(`    ${Math.round(result.rate ?? result.deliveries)}/s, server CPU ${result.cpuUs.toFixed(2)} µs each`);
      }
    }
  }
  const rows = { echo: [], fanout: [], idle: [] };
  for (const server of list) {
    const { echo: rates, "fan-out": fans } = samples.get(server.name);
    const pick = (results, key) => median(results.map((result) => result?.[key]));
    log(`  ${server.label}: ${IDLE} idle connections`);
    const kb = await measure(server, "idle", (r) => idle(server.name, r.baseUrl, r.proc));
    rows.echo.push({ server: server.name, label: server.label, values: { rate: pick(rates, "rate"), cpu: pick(rates, "cpuUs") } });
    rows.fanout.push({
      server: server.name,
      label: server.label,
      values: { deliveries: pick(fans, "deliveries"), p50: pick(fans, "p50"), cpu: pick(fans, "cpuUs") },
    });
    rows.idle.push({ server: server.name, label: server.label, values: { kb } });
  }
  const int = (v) => Math.round(v).toLocaleString("en-US");
  const notes = hasSocketIo
    ? []
    : [
        "Socket.IO is not installed in bench/ (npm install socket.io@4 socket.io-client@4, or SOCKETIO_DIR=<folder with both>), so it is left out.",
      ];
  return [
    {
      title: `Echo round-trips, ${ECHO_CLIENTS} clients`,
      description: `Each client sends a ${PAYLOAD.length}-byte JSON text message and sends again when the echo arrives. Each figure is the median of ${ROUNDS} rounds that alternate the servers. The rate is bound by the clients (one core for all of them); server CPU time per message (lower is better) shows the server's own cost and holds up better on a busy machine. ${notes.join(" ")}`,
      metrics: [
        { key: "rate", label: "round-trips/s", short: "rate", format: int, ratio: true },
        { key: "cpu", label: "server CPU µs per round-trip", short: "CPU", format: (v) => v.toFixed(1), ratio: true },
      ],
      rows: rows.echo,
    },
    {
      title: `Broadcast fan-out, 1 publisher -> ${SUBSCRIBERS} subscribers`,
      description: `The publisher sends the next message once every subscriber has the previous one; median of ${ROUNDS} rounds that alternate the servers. Tandem wraps each delivery in its \`$topic\` envelope, so its subscribers read ${topicFrameLength} bytes per message where bare ws and Socket.IO relay the ${PAYLOAD.length}-byte payload (plus Socket.IO's event framing): the comparison is conservative for Tandem.`,
      metrics: [
        { key: "deliveries", label: "deliveries/s", short: "deliveries", format: int, ratio: true },
        { key: "p50", label: "p50 broadcast ms", format: (v) => v.toFixed(2) },
        { key: "cpu", label: "server CPU µs per delivery", short: "CPU", format: (v) => v.toFixed(2), ratio: true },
      ],
      rows: rows.fanout,
    },
    {
      title: `${IDLE.toLocaleString("en-US")} idle connections`,
      description: "Server RSS growth from 0 to all connections open, divided by the connection count.",
      metrics: [{ key: "kb", label: "KB RSS per connection", format: (v) => v.toFixed(1) }],
      rows: rows.idle,
    },
  ];
}
