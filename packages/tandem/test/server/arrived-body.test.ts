import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { open, raw, readUntil, start } from "./helpers.js";
import { takeArrivedText } from "../../src/server/request.js";

// A small body usually arrives with the headers; the server's Request then parses it without
// waiting. These tests hold that path to what a Request promises.
const post = (body: string, extra = ""): string =>
  `POST /p HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

test("json() is a promise, even for a body that is all here and malformed, and the body is then used", async (t) => {
  const server = await start(t, {
    fetch: async (request) => {
      const parsing = request.json();
      assert.ok(parsing instanceof Promise);
      const outcome = await parsing.then(
        (value) => JSON.stringify(value),
        (error: Error & { status?: number }) => `rejected ${error.status}`,
      );
      const again = await request.text().then(
        () => "read twice",
        (error: Error) => error.name,
      );
      return new Response(`${outcome}; ${again}; used ${request.bodyUsed}`);
    },
  });
  const good = await raw(server.port, post('{"a":[1,2]}'));
  assert.match(good.text, /\r\n\r\n\{"a":\[1,2\]\}; TypeError; used true$/);
  const bad = await raw(server.port, post('{"a":'));
  assert.match(bad.text, /\r\n\r\nrejected 400; TypeError; used true$/);
  const poisoned = await raw(server.port, post('{"__proto__":{"x":1}}'));
  assert.match(poisoned.text, /\r\n\r\nrejected 400; TypeError; used true$/);
});

test("a body still on the wire is waited for, whichever reader asks", async (t) => {
  const server = await start(t, {
    fetch: async (request) =>
      new Response(request.headers.get("x-read") === "text" ? await request.text() : JSON.stringify(await request.json())),
  });
  for (const reader of ["json", "text"]) {
    const socket = await open(server.port);
    t.after(() => socket.destroy());
    const body = '{"late":true}';
    socket.write(post("", `X-Read: ${reader}\r\n`).replace("Content-Length: 0", `Content-Length: ${body.length}`));
    await sleep(100);
    socket.write(body);
    const text = await readUntil(socket, (received) => received.endsWith(body));
    assert.match(text, /^HTTP\/1\.1 200 /);
  }
});

test("a chunked body over the limit that arrived whole is still a 413 with Connection: close", async (t) => {
  const server = await start(t, { bodyLimit: 16, fetch: async (request) => Response.json(await request.json()) });
  const body = JSON.stringify({ padding: "x".repeat(40) });
  const chunked = `POST /p HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
  const reply = await raw(server.port, chunked);
  assert.deepEqual(reply.statuses, [413]);
  assert.match(reply.text, /connection: close/i);
  assert.ok(reply.closed);
});

test("a body that came with the headers is in the request when the app starts", async (t) => {
  // Taken synchronously: nothing awaited between the start of fetch and the take.
  const server = await start(t, { fetch: (request) => new Response(`here: ${takeArrivedText(request) ?? "not yet"}`) });
  const plain = await raw(server.port, post('{"a":1}'));
  assert.match(plain.text, /\r\n\r\nhere: \{"a":1\}$/);
  // A request without a body starts at once and has an empty one.
  assert.match((await raw(server.port, "GET /p HTTP/1.1\r\nHost: localhost\r\n\r\n")).text, /\r\n\r\nhere: $/);
});

test("a failure in the turn a body request starts in is answered, and a throwing logger does not crash the process", async (t) => {
  const errors: unknown[] = [];
  const server = await start(t, {
    logger: {
      error: (...args: unknown[]) => {
        errors.push(args);
        throw new Error("logger broke");
      },
      warn: () => {},
      info: () => {},
    },
    fetch: () => {
      throw new Error("handler bug");
    },
  });
  const reply = await raw(server.port, post('{"a":1}'));
  // The logger threw while the 500 was being logged: the connection is cut instead.
  assert.ok(reply.closed);
  assert.ok(errors.length >= 1);
});
