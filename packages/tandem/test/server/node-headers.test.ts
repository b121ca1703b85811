// The server request's Headers answer get/has from the raw pairs and fills the real list on anything else: every
// operation must give what an undici Headers built from the same pairs gives.
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { test } from "node:test";
import { createNodeHeaders } from "../../src/server/node-headers.js";

const RAW = [
  "Host",
  "example.com",
  "Accept",
  "text/html",
  "X-Multi",
  "a",
  "x-multi",
  "b",
  "Cookie",
  "a=1; b=2",
  "Set-Cookie",
  "s=1",
  "set-cookie",
  "t=2",
];

function real(raw: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

test("get and has match a real Headers, in any case, joining repeated fields", () => {
  const fast = createNodeHeaders(RAW);
  const slow = real(RAW);
  for (const name of ["host", "HOST", "accept", "x-multi", "X-MULTI", "cookie", "set-cookie", "missing", "content-length"]) {
    assert.equal(fast.get(name), slow.get(name), name);
    assert.equal(fast.has(name), slow.has(name), name);
  }
  assert.ok(fast instanceof Headers);
});

test("names asked for in turn, in any case, each get their own value (the lower-case cache holds two)", () => {
  const raw = ["Content-Type", "application/json", "Content-Length", "12", "Host", "example.com"];
  const fast = createNodeHeaders(raw);
  const slow = real(raw);
  const names = [
    "content-type",
    "content-length",
    "content-type",
    "Content-Length",
    "HOST",
    "content-length",
    "Content-Type",
    "host",
    "missing",
    "CONTENT-TYPE",
  ];
  for (let round = 0; round < 3; round++) {
    for (const name of names) assert.equal(fast.get(name), slow.get(name), name);
    for (const name of [...names].reverse()) assert.equal(fast.has(name), slow.has(name), name);
  }
});

test("an invalid name throws as it does on a real Headers", () => {
  const fast = createNodeHeaders(RAW);
  assert.throws(() => fast.get("bad name"), TypeError);
  assert.throws(() => fast.has("bad\nname"), TypeError);
});

test("iteration, forEach, keys, values, getSetCookie and inspection see every field", () => {
  const slow = real(RAW);
  assert.deepEqual([...createNodeHeaders(RAW)], [...slow]);
  assert.deepEqual([...createNodeHeaders(RAW).entries()], [...slow.entries()]);
  assert.deepEqual([...createNodeHeaders(RAW).keys()], [...slow.keys()]);
  assert.deepEqual([...createNodeHeaders(RAW).values()], [...slow.values()]);
  assert.deepEqual(createNodeHeaders(RAW).getSetCookie(), slow.getSetCookie());
  const seen: string[] = [];
  createNodeHeaders(RAW).forEach((value, key) => seen.push(`${key}=${value}`));
  assert.deepEqual(
    seen,
    [...slow].map(([k, v]) => `${k}=${v}`),
  );
  assert.equal(inspect(createNodeHeaders(RAW)), inspect(slow));
});

test("changes fill the list first and then behave as on a real Headers", () => {
  const fast = createNodeHeaders(RAW);
  const slow = real(RAW);
  for (const headers of [fast, slow]) {
    headers.set("accept", "application/json");
    headers.append("x-multi", "c");
    headers.delete("cookie");
  }
  assert.deepEqual([...fast], [...slow]);
  assert.equal(fast.get("x-multi"), "a, b, c");
  assert.equal(fast.get("cookie"), null);
});

test("undici reads the whole list when it copies one (new Headers, Request, Response)", async () => {
  const copy = new Headers(createNodeHeaders(RAW));
  assert.deepEqual([...copy], [...real(RAW)]);
  const request = new Request("http://localhost/", { headers: createNodeHeaders(RAW) });
  assert.equal(request.headers.get("x-multi"), "a, b");
  const response = new Response("x", { headers: createNodeHeaders(["X-A", "1"]) });
  assert.equal(response.headers.get("x-a"), "1");
  assert.deepEqual(Object.fromEntries(createNodeHeaders(["X-A", "1", "x-b", "2"])), { "x-a": "1", "x-b": "2" });
});

test("the stand-in passes for a Headers: tag, instanceof, forEach's third argument, members it does not define", () => {
  const fast = createNodeHeaders(RAW);
  assert.equal(Object.prototype.toString.call(fast), "[object Headers]");
  assert.ok(fast instanceof Headers);
  let parent: unknown;
  fast.forEach((_value, _key, headers) => (parent = headers));
  assert.equal(parent, fast);
  // Members reached through Headers.prototype run against the filled list, not the stand-in.
  for (const name of Object.getOwnPropertyNames(Headers.prototype)) {
    if (name === "constructor") continue;
    assert.doesNotThrow(() => {
      const member = (createNodeHeaders(RAW) as unknown as Record<string, unknown>)[name];
      if (typeof member === "function")
        Reflect.apply(
          member,
          createNodeHeaders(RAW),
          name === "get" || name === "has" || name === "delete"
            ? ["accept"]
            : name === "set" || name === "append"
              ? ["x", "1"]
              : name === "forEach"
                ? [() => {}]
                : [],
        );
    }, name);
  }
});

test("an amendment is built only when a name it touches or the whole list is asked for", () => {
  let builds = 0;
  const amend = { names: new Set(["x-added"]), build: () => (builds++, [...RAW, "x-added", "1"]) };
  const headers = createNodeHeaders(RAW, amend);
  assert.equal(headers.get("accept"), "text/html");
  assert.equal(headers.has("X-Multi"), true);
  assert.equal(builds, 0);
  assert.equal(headers.get("X-Added"), "1");
  assert.equal(builds, 1);
  assert.deepEqual([...headers], [...real([...RAW, "x-added", "1"])]);
  const listed = createNodeHeaders(RAW, amend);
  assert.deepEqual([...listed.keys()], [...real([...RAW, "x-added", "1"]).keys()]);
  assert.equal(builds, 2);
});
