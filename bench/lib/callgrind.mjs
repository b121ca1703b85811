import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { launch } from "./lifecycle.mjs";

// Server CPU per request counted in instructions (valgrind's callgrind) rather than timed: the
// count does not move with whatever else the machine is doing, so a difference of a few percent
// between two settings of one server shows up where a timed run on a shared machine buries it.
// Every thread of the server is counted (the main thread, V8's GC helpers, the thread pool);
// kernel time (the socket writes) is not, and instructions are not seconds.

const exec = promisify(execFile);

export function hasCallgrind() {
  try {
    execFileSync("valgrind", ["--version"], { stdio: "ignore" });
    execFileSync("callgrind_control", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** The raw bytes of one GET with these headers. */
export function getBytes(path, port, headers = {}) {
  const head = Object.entries({ Host: `127.0.0.1:${port}`, ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  return `GET ${path} HTTP/1.1\r\n${head}\r\n`;
}

/**
 * Keep-alive connections that send requests one at a time each; `send(total)` resolves with the
 * number of answers `accept(head, bodyLength)` refused. Answers must carry a Content-Length.
 */
async function openClient(port, bytes, connections, accept) {
  const sockets = await Promise.all(
    Array.from(
      { length: connections },
      () =>
        new Promise((resolve, reject) => {
          const socket = net.connect(port, "127.0.0.1", () => resolve(socket));
          socket.once("error", reject);
        }),
    ),
  );
  const send = (total) =>
    new Promise((resolve, reject) => {
      let sent = 0;
      let done = 0;
      let failed = 0;
      for (const socket of sockets) {
        let buffer = "";
        const next = () => {
          if (sent < total) {
            sent++;
            socket.write(bytes);
          }
        };
        socket.removeAllListeners("data");
        socket.removeAllListeners("error");
        socket.on("error", reject);
        socket.on("data", (chunk) => {
          buffer += chunk.toString("latin1");
          for (;;) {
            const end = buffer.indexOf("\r\n\r\n");
            if (end === -1) return;
            const head = buffer.slice(0, end);
            const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
            if (buffer.length < end + 4 + length) return;
            if (!accept(head, length)) failed++;
            buffer = buffer.slice(end + 4 + length);
            if (++done === total) resolve(failed);
            else next();
          }
        });
        next();
      }
    });
  return { send, close: () => sockets.forEach((socket) => socket.destroy()) };
}

/**
 * Instructions per request for `server` (a bench server: start(port) -> { cmd, args, cwd, env })
 * answering `request(port)` (raw bytes), counted over `measured` requests after `warmup` on the
 * same connections. `accept(head, bodyLength)` checks every answer; one refused fails the count.
 */
export async function instructionsPerRequest(server, pinning, { readyPath, request, accept, warmup, measured, connections = 20 }) {
  const dir = mkdtempSync(join(tmpdir(), "tandem-callgrind-"));
  const underValgrind = {
    ...server,
    start(port) {
      const { cmd, args, cwd, env } = server.start(port);
      const tool = ["--tool=callgrind", "--instr-atstart=no", `--callgrind-out-file=${join(dir, "out")}`];
      return { cmd: "valgrind", args: [...tool, cmd, ...args], cwd, env };
    },
  };
  const running = await launch(underValgrind, pinning, readyPath);
  const pid = String(running.proc.pid);
  const port = Number(new URL(running.baseUrl).port);
  const client = await openClient(port, request(port), connections, accept);
  try {
    if ((await client.send(warmup)) > 0) throw new Error("unexpected answers during warm-up");
    await exec("callgrind_control", ["--instr=on", pid]);
    const failed = await client.send(measured);
    await exec("callgrind_control", ["--instr=off", pid]);
    await exec("callgrind_control", ["--dump", pid]);
    if (failed > 0) throw new Error(`${failed} unexpected answers`);
  } finally {
    client.close();
    await running.proc.stop();
  }
  let total = 0;
  for (const file of readdirSync(dir)) {
    const totals = /^totals: (\d+)/m.exec(readFileSync(join(dir, file), "utf8"));
    if (totals) total += Number(totals[1]);
  }
  // BENCH_INSTRUCTIONS_KEEP=1 keeps the callgrind files for callgrind_annotate.
  if (process.env.BENCH_INSTRUCTIONS_KEEP === "1") console.error(`callgrind files: ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  return total / measured;
}
