import assert from "node:assert/strict";
import { test } from "node:test";
import { FastResponse } from "../../src/server/fast-response.js";
import { captureLogs, get, raw, start } from "./helpers.js";

// Captured before any serve() call in this file replaces the global.
const NativeResponse = globalThis.Response;

test("FastResponse passes for a Response both ways and behaves like one", async () => {
  const fast = new FastResponse("hello", { status: 201, statusText: "Made", headers: { "x-a": "1" } }) as unknown as Response;
  assert.ok(fast instanceof NativeResponse);
  assert.ok(new NativeResponse("x") instanceof (FastResponse as unknown as typeof Response));
  assert.equal(fast.status, 201);
  assert.equal(fast.ok, true);
  assert.equal(fast.statusText, "Made");
  assert.equal(fast.headers.get("content-type"), "text/plain;charset=UTF-8");
  assert.equal(fast.headers.get("x-a"), "1");
  assert.equal(fast.bodyUsed, false);
  const copy = fast.clone();
  assert.equal(await fast.text(), "hello");
  assert.equal(fast.bodyUsed, true);
  assert.equal(await copy.text(), "hello");
  const json = (FastResponse as unknown as typeof Response).json({ a: [1] }, { status: 202 });
  assert.equal(json.headers.get("content-type"), "application/json");
  assert.deepEqual(await json.json(), { a: [1] });
  // A FastResponse can be handed back to undici like a real one.
  const rebuilt = new NativeResponse(((await new FastResponse("again")) as unknown as Response).body);
  assert.equal(await rebuilt.text(), "again");
});

test("FastResponse refuses what the real constructor refuses", () => {
  assert.throws(() => new FastResponse("x", { status: 99 }), RangeError);
  assert.throws(() => new FastResponse("x", { status: 600 }), RangeError);
  assert.throws(() => new FastResponse("x", { status: 204 }), TypeError);
  assert.throws(() => new FastResponse("x", { statusText: "bad\r\nInjected: 1" }), TypeError);
  assert.throws(() => (FastResponse as unknown as typeof Response).json(undefined), TypeError);
});

test("serve() writes FastResponses from their plain form, headers mutated after construction included", async (t) => {
  const server = await start(t, {
    fetch: (request) => {
      const path = new URL(request.url).pathname;
      if (path === "/json") return Response.json({ ok: true }, { headers: [["x-list", "1"]] });
      if (path === "/map") return new Response("m", { headers: new Map([["x-from-map", "1"]]) as unknown as HeadersInit });
      if (path === "/typed") return new Response("<p>", { headers: new Headers({ "Content-Type": "text/html" }) });
      const response = new Response("body", { headers: { "X-Case": "Kept" } });
      response.headers.set("x-later", "yes");
      response.headers.append("set-cookie", "a=1");
      response.headers.append("set-cookie", "b=2");
      return response;
    },
  });
  assert.ok(globalThis.Response === (FastResponse as unknown as typeof Response), "serve() installed FastResponse");
  const json = await raw(server.port, get("a.test", "/json"));
  assert.match(json.text, /content-type: application\/json\r\n/i);
  assert.match(json.text, /x-list: 1\r\n/i);
  assert.match(json.text, /content-length: 11\r\n/i);
  assert.ok(json.text.endsWith('{"ok":true}'));
  const map = await raw(server.port, get("a.test", "/map"));
  assert.match(map.text, /x-from-map: 1\r\n/i);
  const typed = await raw(server.port, get("a.test", "/typed"));
  assert.equal(typed.text.match(/content-type/gi)?.length, 1);
  assert.match(typed.text, /content-type: text\/html\r\n/i);
  const res = await fetch(server.url);
  assert.equal(res.headers.get("x-case"), "Kept");
  assert.equal(res.headers.get("x-later"), "yes");
  assert.deepEqual(res.headers.getSetCookie(), ["a=1", "b=2"]);
  assert.equal(await res.text(), "body");
});

test("a header node:http refuses becomes a logged 500, not a crash", async (t) => {
  const logs = captureLogs();
  const server = await start(t, { logger: logs.logger, fetch: () => new Response("x", { headers: { "bad header": "v" } }) });
  const res = await fetch(server.url);
  assert.equal(res.status, 500);
  assert.match(await res.text(), /TND_ERR_SERVER_HANDLER_FAILED/);
  assert.equal(logs.errors.length, 1);
});

// Node 24's undici keeps the body in a private field: there the body is read as a stream, which
// ends within a turn of the event loop and so goes out whole too (decision 0013).
test("real undici Responses go out in one write with their length, from undici's saved body or read whole", async (t) => {
  const server = await start(t, {
    fetch: (request) =>
      new URL(request.url).pathname === "/bytes" ? new NativeResponse(new Uint8Array([104, 105])) : NativeResponse.json({ native: true }),
  });
  const json = await raw(server.port, get());
  assert.ok(json.text.endsWith('{"native":true}'));
  const bytes = await raw(server.port, get("a.test", "/bytes"));
  assert.ok(bytes.text.endsWith("hi"));
  assert.match(json.text, /content-length: 15\r\n/i);
  assert.doesNotMatch(json.text, /transfer-encoding/i);
  assert.match(bytes.text, /content-length: 2\r\n/i);
  assert.doesNotMatch(bytes.text, /transfer-encoding/i);
});
