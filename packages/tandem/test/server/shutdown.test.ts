import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { serve } from "tandem/node";
import { captureLogs, closedSocket, get, open, readUntil } from "./helpers.js";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("close(): in-flight finishes, a pipelined request gets 503 + Connection: close, idle sockets close after a grace", async () => {
  const started = deferred();
  const release = deferred();
  const order: string[] = [];
  const server = await serve({
    port: 0,
    host: "127.0.0.1",
    logger: captureLogs().logger,
    onShutdown: [() => void order.push("hook")],
    fetch: async (request) => {
      if (new URL(request.url).pathname === "/slow") {
        started.resolve();
        await release.promise;
        return new Response("slow done");
      }
      return new Response("fast");
    },
  });
  const idle = await open(server.port);
  idle.write(get("a.test", "/warm"));
  await readUntil(idle, (s) => s.endsWith("fast"));
  const busy = await open(server.port);
  busy.write(get("a.test", "/slow"));
  await started.promise;

  const closing = server.close().then(() => order.push("closed"));
  await closedSocket(idle);
  busy.write(get("a.test", "/after"));
  await sleep(50);
  // A new connection is refused once closing began.
  const refused = await new Promise<string>((resolve) => {
    const socket = connect({ port: server.port, host: "127.0.0.1" });
    socket.once("connect", () => (socket.destroy(), resolve("connected")));
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
  });
  assert.equal(refused, "ECONNREFUSED");
  release.resolve();
  const text = await readUntil(busy, (s) => /HTTP\/1\.1 503[\s\S]*\}$/.test(s));
  const [first, second] = text.split(/(?=HTTP\/1\.1 )/);
  assert.match(first!, /^HTTP\/1\.1 200 [\s\S]*slow done$/);
  assert.match(second!, /^HTTP\/1\.1 503 /);
  assert.match(second!, /connection: close/i);
  assert.match(second!, /TND_ERR_SERVER_SHUTTING_DOWN/);
  await closedSocket(busy);
  await closing;
  assert.deepEqual(order, ["hook", "closed"]);
});

test("close(): the last in-flight response on a keep-alive socket says Connection: close", async () => {
  const started = deferred();
  const server = await serve({
    port: 0,
    host: "127.0.0.1",
    fetch: async () => {
      started.resolve();
      await sleep(100);
      return new Response("done");
    },
  });
  const socket = await open(server.port);
  socket.write(get());
  await started.promise;
  const closing = server.close();
  const text = await readUntil(socket, (s) => s.endsWith("done"));
  assert.match(text, /connection: close/i);
  await closedSocket(socket);
  await closing;
});

test("close(): at shutdownTimeout stuck requests and upgraded sockets are destroyed", async () => {
  const started = deferred();
  const upgraded = deferred();
  const logs = captureLogs();
  const server = await serve({
    port: 0,
    host: "127.0.0.1",
    shutdownTimeout: 300,
    logger: logs.logger,
    fetch: () => {
      started.resolve();
      return new Promise<Response>(() => {});
    },
    onUpgrade: (_req, socket) => {
      socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n");
      upgraded.resolve();
    },
  });
  const stuck = await open(server.port);
  stuck.write(get());
  await started.promise;
  const ws = await open(server.port);
  ws.write("GET /socket HTTP/1.1\r\nHost: a.test\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n");
  await upgraded.promise;
  const began = performance.now();
  await server.close();
  const elapsed = performance.now() - began;
  assert.ok(elapsed >= 280 && elapsed < 3000, `closed after ${elapsed} ms`);
  await Promise.all([closedSocket(stuck), closedSocket(ws)]);
});

test("close(): an onShutdown hook that closes upgraded sockets lets shutdown finish early; failing hooks are logged", async () => {
  const sockets: Array<{ end(): void }> = [];
  const logs = captureLogs();
  const upgraded = deferred();
  const server = await serve({
    port: 0,
    host: "127.0.0.1",
    shutdownTimeout: 5000,
    logger: logs.logger,
    fetch: () => new Response("x"),
    onUpgrade: (_req, socket) => {
      sockets.push(socket);
      socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n");
      upgraded.resolve();
    },
    onShutdown: [
      () => {
        throw new Error("hook broke");
      },
      () => {
        for (const socket of sockets) socket.end();
      },
    ],
  });
  const ws = await open(server.port);
  ws.on("end", () => ws.end());
  ws.resume();
  ws.write("GET /socket HTTP/1.1\r\nHost: a.test\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n");
  await upgraded.promise;
  const began = performance.now();
  await server.close();
  assert.ok(performance.now() - began < 1000, "did not wait for the deadline");
  assert.equal(logs.errors.length, 1);
  assert.match(String(logs.errors[0]![0]), /onShutdown hook failed/);
});

test("SIGTERM: in-flight request completes, hooks run, the process exits 0", async (t) => {
  const fixture = fileURLToPath(new URL("./fixtures/signal-server.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", fixture], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  let exitCode: number | null | undefined;
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve((exitCode = code))));
  t.after(() => child.kill("SIGKILL"));
  const waitFor = async (marker: string) => {
    while (!out.includes(marker)) {
      if (exitCode !== undefined) throw new Error(`child exited early: ${out} ${err}`);
      await sleep(20);
    }
  };
  await waitFor("listening ");
  const url = /listening (\S+)/.exec(out)![1]!;
  const slow = fetch(`${url}/slow`).then(async (r) => [r.status, await r.text()] as const);
  await waitFor("slow-started");
  child.kill("SIGTERM");
  assert.deepEqual(await slow, [200, "slow done"]);
  assert.equal(await exited, 0, err);
  assert.match(out, /hook/);
});

/** Sends `data` on an open socket; resolves with the status and Connection header of the answer, or the error. */
function exchange(socket: import("node:net").Socket, data: Buffer | string): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    const done = (result: string) => {
      socket.removeAllListeners("data");
      resolve(result);
    };
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
      const end = text.indexOf("\r\n\r\n");
      if (end === -1) return;
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      const close = /\r\nconnection: close/i.test(text.slice(0, end));
      done(`${status}${close ? " close" : ""}`);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => done(error.code ?? "error"));
    socket.once("close", () => done("closed without an answer"));
    if (socket.destroyed || !socket.writable) return done("closed before the request");
    socket.write(data);
  });
}

test("close(): requests sent 1-4 ms after it on idle keep-alive connections get 503 + Connection: close, never a reset", async () => {
  const server = await serve({
    port: 0,
    host: "127.0.0.1",
    logger: captureLogs().logger,
    fetch: async (request) => new Response(`read ${(await request.text()).length}`),
  });
  const sockets = await Promise.all(Array.from({ length: 20 }, () => open(server.port)));
  for (const socket of sockets) socket.on("error", () => {});
  const warm = await Promise.all(sockets.map((socket) => exchange(socket, get("a.test", "/warm"))));
  assert.deepEqual(warm, Array(20).fill("200"));
  const upload = Buffer.concat([
    Buffer.from(`POST /upload HTTP/1.1\r\nHost: a.test\r\nContent-Length: ${256 * 1024}\r\n\r\n`),
    Buffer.alloc(256 * 1024, 97),
  ]);
  const closing = server.close();
  const answers = await Promise.all(
    sockets.map(async (socket, i) => {
      await sleep(1 + (i % 4));
      return exchange(socket, i % 2 === 0 ? get("a.test", "/next") : upload);
    }),
  );
  for (const socket of sockets) socket.destroy();
  await closing;
  assert.deepEqual(answers, Array(20).fill("503 close"));
});

test("close(): connections opened just before it are accepted and answered, not reset with the listener", async () => {
  const server = await serve({ port: 0, host: "127.0.0.1", logger: captureLogs().logger, fetch: () => new Response("ok") });
  const connected: Array<Promise<void>> = [];
  const answers = Array.from(
    { length: 30 },
    () =>
      new Promise<string>((resolve) => {
        let written: () => void = () => {};
        connected.push(new Promise<void>((done) => (written = done)));
        const socket = connect({ port: server.port, host: "127.0.0.1" }, () => {
          void exchange(socket, get("a.test", "/")).then((answer) => {
            socket.destroy();
            resolve(answer);
          });
          written();
        });
        socket.once("error", (error: NodeJS.ErrnoException) => {
          written();
          resolve(error.code ?? "error");
        });
      }),
  );
  // Every connection is complete on the client's side and its request written: the kernel has
  // them, while node may not have accepted or read them yet. Waiting for that, not for a fixed
  // time, keeps a loaded machine from starting close() before the clients even connected.
  await Promise.all(connected);
  const closing = server.close();
  const results = await Promise.all(answers);
  await closing;
  assert.deepEqual(
    results.filter((answer) => answer !== "200" && answer !== "503 close"),
    [],
  );
});

// The flake this replaces ran 30 clients in the server's own process and failed only under heavy
// load: when the event loop got no CPU for the whole grace, its poll phase accepted every waiting
// connection and http.Server's close() then counted them idle (node had not read them yet) and
// reset them with their requests. Here the loop is blocked on purpose while another process
// connects and writes its requests, so the same order happens on every run.
test("close(): connections completed while the event loop was blocked past the grace are read and answered", async () => {
  const server = await serve({ port: 0, host: "127.0.0.1", logger: captureLogs().logger, fetch: () => new Response("ok") });
  const signal = join(mkdtempSync(join(tmpdir(), "tandem-shutdown-")), "written");
  const client = `
    const { connect } = require("node:net");
    const { writeFileSync } = require("node:fs");
    const answers = [];
    let written = 0;
    for (let i = 0; i < 20; i++) {
      const socket = connect(${server.port}, "127.0.0.1", () => {
        socket.write("GET / HTTP/1.1\\r\\nHost: a.test\\r\\n\\r\\n", () => {
          if (++written === 20) writeFileSync(${JSON.stringify(signal)}, "");
        });
      });
      let text = "";
      const done = (answer) => {
        answers.push(answer);
        socket.destroy();
        if (answers.length === 20) console.log(JSON.stringify(answers));
      };
      socket.on("data", (chunk) => {
        text += chunk;
        if (text.includes("\\r\\n\\r\\n")) done(text.slice(9, 12) + (/connection: close/i.test(text) ? " close" : ""));
      });
      socket.on("error", (error) => done(error.code));
    }
  `;
  const child = spawn(process.execPath, ["-e", client], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const closing = server.close();
  // Blocked (no timers, no poll) until the other process has connected and written every request,
  // and at least past the 250 ms grace.
  const blocked = Date.now();
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!existsSync(signal) || Date.now() - blocked < 400) Atomics.wait(pause, 0, 0, 10);
  await closing;
  await exited;
  const answers = JSON.parse(output) as string[];
  assert.deepEqual(
    answers.filter((answer) => answer !== "200" && answer !== "503 close"),
    [],
    `answers: ${answers.join(", ")}`,
  );
});
