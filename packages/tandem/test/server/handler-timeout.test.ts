// A handler that never answers gets 503 at handlerTimeout, its signal aborts with a TimeoutError,
// and whatever it returns later is dropped; fast and streaming handlers are not affected.
import assert from "node:assert/strict";
import { test } from "node:test";
import { captureLogs, open, readUntil, start } from "./helpers.js";

test("a handler past handlerTimeout gets 503 TND_ERR_SERVER_HANDLER_TIMEOUT and an aborted signal", async (t) => {
  const logs = captureLogs();
  let reason: unknown;
  let lateAnswerSent = false;
  const server = await start(t, {
    handlerTimeout: 200,
    logger: logs.logger,
    async fetch(request) {
      await new Promise((resolve) => request.signal.addEventListener("abort", resolve));
      reason = request.signal.reason;
      lateAnswerSent = true;
      return new Response("too late");
    },
  });
  const started = performance.now();
  const response = await fetch(`${server.url}/slow`);
  const elapsed = performance.now() - started;
  assert.equal(response.status, 503);
  const body = (await response.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, "TND_ERR_SERVER_HANDLER_TIMEOUT");
  assert.match(body.error.message, /200 ms/);
  assert.ok(elapsed >= 190 && elapsed < 2000, `answered after ${elapsed} ms`);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(lateAnswerSent);
  assert.equal((reason as DOMException).name, "TimeoutError");
  assert.ok(logs.errors.some((args) => String(args[0]).includes("did not answer within 200 ms")));
  // The connection is still usable: the late answer did not write into it.
  const again = await fetch(`${server.url}/slow`);
  assert.equal(again.status, 503);
  await again.text();
});

test("a handler that throws after its timeout is not logged as a failure or answered twice", async (t) => {
  const logs = captureLogs();
  const server = await start(t, {
    handlerTimeout: 100,
    logger: logs.logger,
    async fetch(request) {
      await new Promise((resolve) => request.signal.addEventListener("abort", resolve));
      throw new Error("gave up");
    },
  });
  const response = await fetch(server.url);
  assert.equal(response.status, 503);
  await response.text();
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(!logs.errors.some((args) => String(args[0]).includes("unhandled error")));
});

test("answers within the timeout and streamed bodies that outlast it are untouched; 0 turns it off", async (t) => {
  const server = await start(t, {
    handlerTimeout: 150,
    async fetch(request) {
      const path = new URL(request.url).pathname;
      if (path === "/quick") {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return new Response("quick");
      }
      // Headers at once, body over 400 ms: the timeout covers the handler, not the stream.
      const stream = new ReadableStream({
        async start(controller) {
          for (const part of ["a", "b", "c", "d"]) {
            controller.enqueue(new TextEncoder().encode(part));
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          controller.close();
        },
      });
      return new Response(stream);
    },
  });
  assert.equal(await (await fetch(`${server.url}/quick`)).text(), "quick");
  assert.equal(await (await fetch(`${server.url}/stream`)).text(), "abcd");

  const off = await start(t, {
    handlerTimeout: 0,
    async fetch() {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return new Response("patient");
    },
  });
  assert.equal(await (await fetch(off.url)).text(), "patient");
});

test("a slow upload gets 408 from requestTimeout, never the handler's 503: the handler's clock starts once the body is in", async (t) => {
  const logs = captureLogs();
  const server = await start(t, {
    handlerTimeout: 150,
    headersTimeout: 500,
    requestTimeout: 500,
    logger: logs.logger,
    fetch: async (request) => new Response(`got ${(await request.text()).length}`),
  });
  const socket = await open(server.port);
  const started = performance.now();
  socket.write("POST /upload HTTP/1.1\r\nHost: a.test\r\nContent-Length: 100\r\n\r\n0123456789");
  // A byte every 50 ms: always something arriving, never the whole body.
  const drip = setInterval(() => socket.writable && socket.write("x"), 50);
  t.after(() => clearInterval(drip));
  const text = await readUntil(socket, (s) => s.includes("\r\n\r\n{"), 3000);
  clearInterval(drip);
  socket.destroy();
  assert.match(text, /^HTTP\/1\.1 408 /);
  assert.match(text, /TND_ERR_SERVER_TIMEOUT/);
  assert.ok(performance.now() - started >= 450, "408 came at requestTimeout");
  assert.ok(!logs.errors.some((args) => String(args[0]).includes("did not answer")), "no handler timeout was logged");
});

test("once the body is in, the handler has its whole handlerTimeout", async (t) => {
  const server = await start(t, {
    handlerTimeout: 200,
    headersTimeout: 1000,
    requestTimeout: 2000,
    async fetch(request) {
      const body = await request.text();
      await new Promise((resolve) => request.signal.addEventListener("abort", resolve));
      return new Response(body);
    },
  });
  const socket = await open(server.port);
  const started = performance.now();
  socket.write("POST /upload HTTP/1.1\r\nHost: a.test\r\nContent-Length: 4\r\n\r\nab");
  await new Promise((resolve) => setTimeout(resolve, 400));
  const arrived = performance.now();
  socket.write("cd");
  const text = await readUntil(socket, (s) => s.includes("\r\n\r\n{"), 3000);
  socket.destroy();
  assert.match(text, /^HTTP\/1\.1 503 /);
  const answered = performance.now();
  assert.ok(answered - arrived >= 190, `503 came ${answered - arrived} ms after the body (${answered - started} ms after the headers)`);
});
