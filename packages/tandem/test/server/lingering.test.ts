// An early 4xx while the client is still uploading must reach the client: the server stops
// reading the body, answers, and keeps draining (a bounded amount) until the client is done,
// instead of closing on unread bytes, which makes the kernel reset the connection (issue 16, item 4).
import assert from "node:assert/strict";
import { request } from "node:http";
import { connect } from "node:net";
import { test } from "node:test";
import { start } from "./helpers.js";

const MiB = 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 120);

/** Uploads `total` bytes as fast as the socket takes them; resolves with the status seen, or the error. */
function upload(port: number, total: number, chunked: boolean): Promise<number | string> {
  return new Promise((resolve) => {
    let status: number | undefined;
    const req = request({
      port,
      host: "127.0.0.1",
      method: "POST",
      path: "/upload",
      headers: chunked ? { "transfer-encoding": "chunked" } : { "content-length": String(total) },
    });
    req.on("response", (res) => {
      status = res.statusCode;
      res.resume();
      res.on("end", () => resolve(status!));
      res.on("error", () => resolve(status!));
    });
    // After the response, a cut connection does not matter: the client has its answer.
    req.on("error", (error: NodeJS.ErrnoException) => (status === undefined ? resolve(error.code ?? "error") : undefined));
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += CHUNK.length;
        if (!req.write(CHUNK)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

/**
 * Like curl or a blocking client: writes the whole request before it reads anything (the socket
 * is paused, so the answer waits in the kernel, where a reset would discard it).
 */
function uploadThenRead(port: number, total: number, chunked: boolean): Promise<number | string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.pause();
    let text = "";
    let settled = false;
    const settle = (value: number | string) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(value);
    };
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(text);
      if (status !== null && text.includes("\r\n\r\n")) settle(Number(status[1]));
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      // A write that fails is what such a client sees first; it then reads what it can.
      if (error.code === "EPIPE" || error.code === "ECONNRESET") {
        socket.resume();
        setTimeout(() => settle(error.code!), 200);
      } else settle(error.code ?? "error");
    });
    socket.on("close", () => setTimeout(() => settle("closed without an answer"), 200));
    const head = chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${total}`;
    socket.write(`POST /upload HTTP/1.1\r\nHost: a.test\r\n${head}\r\n\r\n`);
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += CHUNK.length;
        const more = chunked ? Buffer.concat([Buffer.from(`${CHUNK.length.toString(16)}\r\n`), CHUNK, Buffer.from("\r\n")]) : CHUNK;
        if (!socket.write(more)) return void socket.once("drain", pump);
      }
      socket.write(chunked ? "0\r\n\r\n" : "", () => socket.resume());
    };
    pump();
  });
}

for (const chunked of [false, true]) {
  const kind = chunked ? "chunked" : "Content-Length";
  test(`an early 413 reaches a client that keeps uploading 8 MiB (${kind}), 10 of 10 times`, async (t) => {
    const server = await start(t, { fetch: async (r) => new Response(`read ${(await r.text()).length}`) });
    const results: Array<number | string> = [];
    for (let i = 0; i < 10; i++) results.push(await upload(server.port, 8 * MiB, chunked));
    for (let i = 0; i < 10; i++) results.push(await uploadThenRead(server.port, 8 * MiB, chunked));
    assert.deepEqual(results, Array(20).fill(413));
    // And the server still answers.
    assert.equal((await fetch(`${server.url}/after`, { method: "POST", body: "ok" })).status, 200);
  });
}

test("the drain is bounded: a client that never stops sending is cut off within 2 s and 16 MiB", async (t) => {
  const server = await start(t, { fetch: async (r) => new Response(await r.text()) });
  // Half-open allowed: the server's FIN does not make this client stop.
  const socket = connect({ port: server.port, host: "127.0.0.1", allowHalfOpen: true });
  let text = "";
  let sent = 0;
  const started = performance.now();
  socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
  socket.on("error", () => {});
  socket.write(`POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: ${1024 * MiB}\r\n\r\n`);
  const pump = () => {
    while (!socket.destroyed && sent < 1024 * MiB) {
      sent += CHUNK.length;
      if (!socket.write(CHUNK)) return void socket.once("drain", pump);
    }
  };
  pump();
  await new Promise((resolve) => socket.once("close", resolve));
  const elapsed = performance.now() - started;
  assert.match(text, /^HTTP\/1\.1 413 /);
  assert.ok(elapsed < 3000, `closed after ${elapsed} ms`);
  // What the client managed to send before the server gave up: the drain limit and the buffers on the way.
  assert.ok(sent < 64 * MiB, `the client sent ${sent / MiB} MiB`);
});
