import assert from "node:assert/strict";
import { test } from "node:test";
import { HttpError } from "tandem/server";
import { captureLogs, closedSocket, get, open, raw, readUntil, start } from "./helpers.js";

test("string and byte bodies go out with an exact Content-Length in one piece", async (t) => {
  const server = await start(t, {
    fetch: (request) =>
      new URL(request.url).pathname === "/bytes" ? new Response(new Uint8Array([1, 2, 3, 250])) : new Response("héllo wörld"),
  });
  const text = await raw(server.port, get());
  assert.match(text.text, /content-length: 13\r\n/i);
  assert.doesNotMatch(text.text, /transfer-encoding/i);
  assert.ok(text.text.endsWith(Buffer.from("héllo wörld").toString("latin1")));
  const bytes = await raw(server.port, get("a.test", "/bytes"));
  assert.match(bytes.text, /content-length: 4\r\n/i);
  assert.ok(bytes.text.endsWith("\x01\x02\x03\xfa"));
});

test("a body read once (bodyUsed) is never sent again from undici's saved source", async (t) => {
  const server = await start(t, {
    fetch: async () => {
      const response = new Response("consumed");
      await response.clone().text();
      return new Response("fresh", { headers: { "x-original": await response.text() } });
    },
  });
  const res = await fetch(server.url);
  assert.equal(await res.text(), "fresh");
  assert.equal(res.headers.get("x-original"), "consumed");
});

test("a Content-Length set by the handler is replaced by the real one", async (t) => {
  const server = await start(t, { fetch: () => new Response("four", { headers: { "content-length": "999" } }) });
  const reply = await raw(server.port, get());
  assert.match(reply.text, /content-length: 4\r\n/i);
  assert.doesNotMatch(reply.text, /999/);
});

test("several set-cookie headers stay separate", async (t) => {
  const server = await start(t, {
    fetch: () => {
      const headers = new Headers({ "content-type": "text/plain" });
      headers.append("set-cookie", "a=1; Path=/");
      headers.append("set-cookie", "b=2; HttpOnly");
      return new Response("c", { headers });
    },
  });
  const res = await fetch(server.url);
  assert.deepEqual(res.headers.getSetCookie(), ["a=1; Path=/", "b=2; HttpOnly"]);
});

test("HEAD responses carry headers and Content-Length but no body", async (t) => {
  let streamCancelled = false;
  const server = await start(t, {
    fetch: (request) =>
      new URL(request.url).pathname === "/stream"
        ? new Response(new ReadableStream({ pull: (c) => c.enqueue(new Uint8Array(10)), cancel: () => void (streamCancelled = true) }))
        : new Response("twelve bytes", { headers: { "x-kind": "text" } }),
  });
  const reply = await raw(server.port, ["HEAD / HTTP/1.1\r\nHost: a.test\r\n\r\n", get("a.test", "/after")], 300, 2);
  const [first, second] = reply.text.split(/(?=HTTP\/1\.1 )/);
  assert.match(first!, /content-length: 12\r\n/i);
  assert.match(first!, /x-kind: text\r\n/);
  assert.match(first!, /\r\n\r\n$/);
  assert.match(second!, /\r\n\r\ntwelve bytes$/);
  const head = await raw(server.port, "HEAD /stream HTTP/1.1\r\nHost: a.test\r\n\r\n");
  assert.match(head.text, /\r\n\r\n$/);
  assert.equal(streamCancelled, true);
});

test("204 and 304 have no body and no Content-Length", async (t) => {
  const server = await start(t, {
    fetch: (request) => new Response(null, { status: new URL(request.url).pathname === "/304" ? 304 : 204 }),
  });
  for (const path of ["/204", "/304"]) {
    const reply = await raw(server.port, get("a.test", path));
    assert.match(reply.text, new RegExp(`^HTTP/1.1 ${path.slice(1)} `));
    assert.doesNotMatch(reply.text, /content-length|transfer-encoding/i);
  }
});

test("streams are written with backpressure and cancelled when the client goes away", async (t) => {
  let pulled = 0;
  let cancelled!: () => void;
  const wasCancelled = new Promise<void>((resolve) => (cancelled = resolve));
  const chunk = new Uint8Array(64 * 1024);
  const server = await start(t, {
    fetch: () =>
      new Response(
        new ReadableStream({
          pull(controller) {
            pulled++;
            controller.enqueue(chunk);
          },
          cancel: () => cancelled(),
        }),
        { headers: { "content-type": "application/octet-stream" } },
      ),
  });
  const socket = await open(server.port);
  socket.write(get());
  await readUntil(socket, (text) => text.includes("\r\n\r\n"));
  socket.pause();
  // With a reader that never reads, the stream may only run ahead by socket buffers, not forever.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const pulledWhilePaused = pulled;
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.ok(pulled - pulledWhilePaused <= 1, `kept pulling while the client was not reading (${pulledWhilePaused} -> ${pulled})`);
  assert.ok(pulled < 400, `pulled ${pulled} chunks (${(pulled * 64) / 1024} MiB) into memory`);
  socket.destroy();
  await wasCancelled;
});

test("a streamed response arrives in order, chunk by chunk", async (t) => {
  const server = await start(t, {
    fetch: () => {
      let i = 0;
      const encoder = new TextEncoder();
      return new Response(
        new ReadableStream({
          async pull(controller) {
            await new Promise((resolve) => setTimeout(resolve, 5));
            if (i === 5) controller.close();
            else controller.enqueue(encoder.encode(`data: ${i++}\n\n`));
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      );
    },
  });
  const res = await fetch(server.url);
  assert.equal(res.headers.get("content-type"), "text/event-stream");
  assert.equal(await res.text(), "data: 0\n\ndata: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n");
});

test("a stream that fails midway cuts the connection and is logged", async (t) => {
  const logs = captureLogs();
  const server = await start(t, {
    logger: logs.logger,
    fetch: () => {
      let sent = false;
      return new Response(
        new ReadableStream({
          async pull(controller) {
            // After the first bytes went out (a stream still open after a turn of the event loop is sent as it comes).
            if (sent) await new Promise((resolve) => setTimeout(resolve, 20));
            if (sent) controller.error(new Error("database went away"));
            else controller.enqueue(new TextEncoder().encode("partial"));
            sent = true;
          },
        }),
      );
    },
  });
  const reply = await raw(server.port, get());
  assert.equal(reply.closed, true);
  assert.match(reply.text, /partial/);
  assert.doesNotMatch(reply.text, /\r\n0\r\n\r\n$/, "no clean end-of-body marker after a failure");
  assert.equal(logs.errors.length, 1);
  assert.equal((logs.errors[0]![1] as Error).message, "database went away");
});

test("a stream that fails before its first turn of the event loop is over answers a logged 500", async (t) => {
  const logs = captureLogs();
  const server = await start(t, {
    logger: logs.logger,
    fetch: () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode("partial"));
            queueMicrotask(() => controller.error(new Error("database went away")));
          },
        }),
      ),
  });
  const reply = await raw(server.port, get());
  assert.match(reply.text, /^HTTP\/1\.1 500 /);
  assert.doesNotMatch(reply.text, /partial/);
  assert.equal(logs.errors.length, 1);
  assert.equal((logs.errors[0]![1] as Error).message, "database went away");
});

test("a handler that throws, rejects or returns junk gets a logged 500; HttpError gets its own response", async (t) => {
  const logs = captureLogs();
  const server = await start(t, {
    logger: logs.logger,
    fetch: (request) => {
      const path = new URL(request.url).pathname;
      if (path === "/throw") throw new Error("secret detail");
      if (path === "/reject") return Promise.reject(new Error("async secret"));
      if (path === "/junk") return "not a response" as unknown as Response;
      throw new HttpError("TND_ERR_CLIENT_PARAM", "teapot here", { status: 418, headers: { "x-why": "because" } });
    },
  });
  for (const path of ["/throw", "/reject", "/junk"]) {
    const res = await fetch(server.url + path);
    assert.equal(res.status, 500, path);
    const body = await res.text();
    assert.match(body, /TND_ERR_SERVER_HANDLER_FAILED/);
    assert.doesNotMatch(body, /secret/);
  }
  assert.equal(logs.errors.length, 3);
  const teapot = await fetch(server.url + "/http-error");
  assert.equal(teapot.status, 418);
  assert.equal(teapot.headers.get("x-why"), "because");
  assert.deepEqual(await teapot.json(), { error: { code: "TND_ERR_CLIENT_PARAM", message: "teapot here" } });
  assert.equal(logs.errors.length, 3);
});

test("a synchronous Response and a keep-alive socket serve many requests in a row", async (t) => {
  const server = await start(t, { fetch: (request) => new Response(new URL(request.url).pathname) });
  const socket = await open(server.port);
  t.after(() => socket.destroy());
  for (let i = 0; i < 20; i++) {
    socket.write(get("a.test", `/n${i}`));
    const text = await readUntil(socket, (s) => s.endsWith(`/n${i}`));
    assert.match(text, /^HTTP\/1\.1 200 OK/);
  }
  assert.equal(socket.destroyed, false);
  void closedSocket;
});

test("a client gone before the handler returns: nothing is written, nothing crashes", async (t) => {
  const logs = captureLogs();
  let finished = 0;
  let streamCancelled = false;
  const server = await start(t, {
    logger: logs.logger,
    fetch: async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      finished++;
      if (new URL(request.url).pathname === "/stream") {
        return new Response(
          new ReadableStream({ pull: (c) => c.enqueue(new Uint8Array(1024)), cancel: () => void (streamCancelled = true) }),
        );
      }
      return new Response("too late");
    },
  });
  for (const path of ["/text", "/stream"]) {
    const socket = await open(server.port);
    socket.write(get("a.test", path));
    await new Promise((resolve) => setTimeout(resolve, 30));
    socket.destroy();
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(finished, 2);
  assert.equal(streamCancelled, true);
  assert.deepEqual(logs.errors, []);
  assert.equal(await (await fetch(server.url)).text(), "too late");
});
