import assert from "node:assert/strict";
import { test } from "node:test";
import { HttpError } from "tandem/server";
import { parseJson } from "../../src/server/json.js";
import { open, raw, readUntil, start } from "./helpers.js";

const LIMIT = 1000;

function post(body: string, extra = ""): string {
  return `POST /echo HTTP/1.1\r\nHost: a.test\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
}

function chunked(parts: string[]): string {
  const body = parts.map((p) => `${p.length.toString(16)}\r\n${p}\r\n`).join("") + "0\r\n\r\n";
  return `POST /echo HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n${body}`;
}

async function echo(t: Parameters<typeof start>[0]) {
  const calls = { count: 0 };
  const server = await start(t, {
    bodyLimit: LIMIT,
    fetch: async (request) => {
      calls.count++;
      return new Response(String((await request.text()).length));
    },
  });
  return { server, calls };
}

test("a body exactly at the limit is read; one byte over is 413", async (t) => {
  const { server } = await echo(t);
  const at = await raw(server.port, post("x".repeat(LIMIT)));
  assert.deepEqual(at.statuses, [200]);
  assert.match(at.text, /\r\n\r\n1000$/);
  const over = await raw(server.port, post("x".repeat(LIMIT + 1)));
  assert.deepEqual(over.statuses, [413]);
  assert.match(over.text, /"code":"TND_ERR_BODY_TOO_LARGE"/);
  assert.match(over.text, /connection: close/i);
});

test("a declared Content-Length over the limit is refused before the handler runs, without 100-continue", async (t) => {
  const { server, calls } = await echo(t);
  const reply = await raw(server.port, `POST /echo HTTP/1.1\r\nHost: a.test\r\nContent-Length: 5000000\r\nExpect: 100-continue\r\n\r\n`);
  assert.deepEqual(reply.statuses, [413]);
  assert.doesNotMatch(reply.text, /100 Continue/);
  assert.equal(reply.closed, true);
  assert.equal(calls.count, 0);
  const fits = await raw(server.port, `POST /echo HTTP/1.1\r\nHost: a.test\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\nabc`);
  assert.match(fits.text, /^HTTP\/1\.1 100 Continue/);
  assert.match(fits.text, /\r\n\r\n3$/);
});

test("a chunked body errors once over the limit and the escaping HttpError becomes 413", async (t) => {
  const { server, calls } = await echo(t);
  const ok = await raw(server.port, chunked(["a".repeat(500), "b".repeat(500)]));
  assert.deepEqual(ok.statuses, [200]);
  const over = await raw(server.port, chunked(["a".repeat(600), "b".repeat(600)]));
  assert.deepEqual(over.statuses, [413]);
  assert.equal(over.closed, true);
  assert.equal(calls.count, 2);
});

test("a streamed chunked body that never ends is cut at the limit, not read to the end", async (t) => {
  let caught: unknown;
  const server = await start(t, {
    bodyLimit: LIMIT,
    fetch: async (request) => {
      try {
        const reader = request.body!.getReader();
        for (;;) if ((await reader.read()).done) break;
      } catch (error) {
        caught = error;
        throw error;
      }
      return new Response("read it all");
    },
  });
  const head = `POST /s HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n`;
  const chunk = `${(400).toString(16)}\r\n${"z".repeat(400)}\r\n`;
  const reply = await raw(server.port, [head, chunk, chunk, chunk, chunk]);
  assert.deepEqual(reply.statuses, [413]);
  assert.ok(HttpError.is(caught) && caught.status === 413);
});

test("json(): proto poisoning, constructor.prototype, escaped keys and malformed JSON are 400", async (t) => {
  const server = await start(t, { fetch: async (request) => Response.json(await request.json()) });
  const cases: Array<[string, number, string]> = [
    ['{"a":{"b":[{"__proto__":{"polluted":true}}]}}', 400, "TND_ERR_PROTO_POISONING"],
    ['{"constructor":{"prototype":{"polluted":true}}}', 400, "TND_ERR_PROTO_POISONING"],
    ['{"\\u005f_proto__":{"polluted":true}}', 400, "TND_ERR_PROTO_POISONING"],
    ['{"constructor":{"\\u0070rototype":{"polluted":true}}}', 400, "TND_ERR_PROTO_POISONING"],
    ['[{"x":1},{"constructor":{"prototype":null}}]', 400, "TND_ERR_PROTO_POISONING"],
    ['{"a":', 400, "TND_ERR_INVALID_JSON"],
    ["", 400, "TND_ERR_INVALID_JSON"],
    ['{"constructor":"fine","proto":1}', 200, '{"constructor":"fine","proto":1}'],
    ['"a string with [[[[ and {{{{"', 200, '"a string with [[[[ and {{{{"'],
  ];
  for (const [body, status, marker] of cases) {
    const res = await fetch(server.url, { method: "POST", body });
    assert.equal(res.status, status, body);
    assert.ok((await res.text()).includes(marker), body);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test("json(): 100,000-deep nesting is a 400 from the depth check, not a stack overflow", async (t) => {
  const server = await start(t, { bodyLimit: 1024 * 1024, fetch: async (request) => Response.json(await request.json()) });
  for (const [open, close] of [
    ["[", "]"],
    ['{"a":', "}"],
  ] as const) {
    const body = open.repeat(100_000) + "1" + close.repeat(100_000);
    const res = await fetch(server.url, { method: "POST", body });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /TND_ERR_SERVER_JSON_TOO_DEEP/);
  }
  // Refused by the scan before JSON.parse (its message, not a RangeError); how fast is bench/'s.
  assert.throws(() => parseJson("[".repeat(100_000) + "]".repeat(100_000)), /deeper than 512/);
  assert.deepEqual(parseJson("[".repeat(512) + "]".repeat(512)), JSON.parse("[".repeat(512) + "]".repeat(512)));
  assert.throws(() => parseJson("[".repeat(513) + "]".repeat(513)), /deeper than 512/);
});

test("a client that disconnects mid-body leaves the handler with a 400 error and the server up", async (t) => {
  let caught: unknown;
  let settled!: () => void;
  const done = new Promise<void>((resolve) => (settled = resolve));
  const server = await start(t, {
    fetch: async (request) => {
      try {
        await request.text();
      } catch (error) {
        caught = error;
      }
      settled();
      return new Response("late");
    },
  });
  await raw(server.port, `POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 100\r\n\r\nonly-part`, 50);
  await done;
  assert.ok(HttpError.is(caught));
  assert.equal(caught.code, "TND_ERR_SERVER_BODY_INCOMPLETE");
  assert.equal((await fetch(server.url)).status, 200);
});

test("a body that arrived in several packets before the handler reads it is read whole, and keep-alive goes on", async (t) => {
  const server = await start(t, {
    bodyLimit: LIMIT,
    fetch: async (request) => {
      // By now every packet of the body is buffered: the read takes it from the buffer at once.
      await new Promise((resolve) => setTimeout(resolve, 60));
      return new Response(await request.text());
    },
  });
  const socket = await open(server.port);
  t.after(() => socket.destroy());
  socket.write(`POST /echo HTTP/1.1\r\nHost: a.test\r\nContent-Length: 12\r\n\r\nfirst-`);
  await new Promise((resolve) => setTimeout(resolve, 15));
  socket.write("second");
  const first = await readUntil(socket, (text) => text.endsWith("first-second"));
  assert.match(first, /^HTTP\/1\.1 200 /);
  socket.write(post("again"));
  const second = await readUntil(socket, (text) => text.endsWith("again"));
  assert.match(second, /HTTP\/1\.1 200 /);
});

test("a whole chunked body over the limit that arrived before the read is still a 413 with Connection: close", async (t) => {
  const server = await start(t, {
    bodyLimit: LIMIT,
    fetch: async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return new Response(await request.text());
    },
  });
  const over = await raw(server.port, chunked(["a".repeat(600), "b".repeat(600)]));
  assert.deepEqual(over.statuses, [413]);
  assert.match(over.text, /"code":"TND_ERR_BODY_TOO_LARGE"/);
  assert.equal(over.closed, true);
});
