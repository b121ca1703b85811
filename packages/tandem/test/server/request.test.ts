import assert from "node:assert/strict";
import { test } from "node:test";
import { inspect } from "node:util";
import { NextRequest } from "../../src/compat/next-request.js";
import { get, raw, start } from "./helpers.js";

test("the request is a Request with an absolute URL built from Host, and lazy headers", async (t) => {
  let seen: Request | undefined;
  const server = await start(t, {
    fetch: (request) => {
      seen = request;
      return new Response(`${request.method} ${request.url} ${request.headers.get("x-one")} ${request instanceof Request}`);
    },
  });
  const res = await fetch(`${server.url}/a/b?c=1&d=%20`, { headers: { "x-one": "1" } });
  assert.equal(await res.text(), `GET ${server.url}/a/b?c=1&d=%20 1 true`);
  assert.ok(seen instanceof Request);
  assert.equal(seen.bodyUsed, false);
  assert.equal(seen.body, null);
  assert.equal(new URL(seen.url).host, `127.0.0.1:${server.port}`);
});

test("dot segments and odd characters are normalized the way a real Request would", async (t) => {
  const server = await start(t, { fetch: (request) => new Response(request.url) });
  const reply = await raw(server.port, get("example.test", "/a/./b/../c/%2e%2E/d?x=/./y"));
  assert.match(reply.text, /\r\n\r\nhttp:\/\/example\.test\/a\/d\?x=\/\.\/y$/);
  const slashes = await raw(server.port, get("example.test", "//evil.test/x"));
  assert.match(slashes.text, /\r\n\r\nhttp:\/\/example\.test\/\/evil\.test\/x$/);
});

test("an absolute-form target lends only its path: the host stays ours", async (t) => {
  const server = await start(t, { fetch: (request) => new Response(request.url) });
  const reply = await raw(server.port, `GET http://evil.test/steal?x=1 HTTP/1.1\r\nHost: app.test\r\n\r\n`);
  assert.deepEqual(reply.statuses, [200]);
  assert.match(reply.text, /\r\n\r\nhttp:\/\/app\.test\/steal\?x=1$/);
});

test("X-Forwarded-* are ignored by default and used with trustProxy", async (t) => {
  const forwarded = "X-Forwarded-Proto: https\r\nX-Forwarded-Host: public.test\r\n";
  const plain = await start(t, { fetch: (request) => new Response(request.url) });
  assert.match((await raw(plain.port, get("internal.test", "/p", forwarded))).text, /\r\n\r\nhttp:\/\/internal\.test\/p$/);
  const trusting = await start(t, { trustProxy: true, fetch: (request) => new Response(request.url) });
  assert.match((await raw(trusting.port, get("internal.test", "/p", forwarded))).text, /\r\n\r\nhttps:\/\/public\.test\/p$/);
  const junk = await raw(trusting.port, get("internal.test", "/p", "X-Forwarded-Host: evil.test/x?\r\n"));
  assert.deepEqual(junk.statuses, [400]);
  assert.match(junk.text, /TND_ERR_SERVER_BAD_HOST/);
});

test("the app sees X-Forwarded-Host, -Port, -Proto and -For as Next.js adds them, from the connection", async (t) => {
  const seen = (request: Request): Response =>
    Response.json(Object.fromEntries([...request.headers].filter(([name]) => name.startsWith("x-forwarded-"))));
  const body = async (port: number, extra = ""): Promise<unknown> => {
    const reply = await raw(port, get("app.test:8443", "/p", extra));
    return JSON.parse(reply.text.slice(reply.text.indexOf("\r\n\r\n") + 4));
  };
  const plain = await start(t, { fetch: seen });
  const own = {
    "x-forwarded-host": "app.test:8443",
    "x-forwarded-port": String(plain.port),
    "x-forwarded-proto": "http",
    "x-forwarded-for": "127.0.0.1",
  };
  assert.deepEqual(await body(plain.port), own);
  // A client's own values are not believed without trustProxy: the connection's replace them.
  const forged = "X-Forwarded-For: 203.0.113.9\r\nx-forwarded-host: evil.test\r\nX-FORWARDED-PROTO: https\r\nx-forwarded-port: 1\r\n";
  assert.deepEqual(await body(plain.port, forged), own);
  // Behind a trusted proxy its values stand, and the missing ones are filled in.
  const trusting = await start(t, { trustProxy: true, fetch: seen });
  assert.deepEqual(await body(trusting.port, "X-Forwarded-For: 203.0.113.9, 10.0.0.2\r\nX-Forwarded-Proto: https\r\n"), {
    "x-forwarded-for": "203.0.113.9, 10.0.0.2",
    "x-forwarded-host": "app.test:8443",
    "x-forwarded-port": String(trusting.port),
    "x-forwarded-proto": "https",
  });
});

test("a missing or malformed Host is a 400 before the handler runs; HTTP/1.0 falls back to our address", async (t) => {
  let calls = 0;
  const server = await start(t, { fetch: (request) => (calls++, new Response(request.url)) });
  const missing = await raw(server.port, "GET / HTTP/1.1\r\n\r\n");
  assert.deepEqual(missing.statuses, [400]);
  assert.match(missing.text, /"code":"TND_ERR_SERVER_BAD_HOST","message":"the request has no Host header"/);
  for (const host of ["evil.test/path", "a@b", "x:99999", "[zz]", "a b"]) {
    const reply = await raw(server.port, get(host));
    assert.deepEqual(reply.statuses, [400], host);
  }
  assert.equal(calls, 0);
  const old = await raw(server.port, "GET /old HTTP/1.0\r\n\r\n");
  assert.match(old.text, new RegExp(`\\r\\n\\r\\nhttp://127\\.0\\.0\\.1:${server.port}/old$`));
  const v6 = await raw(server.port, get("[::1]:8080", "/six"));
  assert.match(v6.text, /\r\n\r\nhttp:\/\/\[::1\]:8080\/six$/);
});

test("body methods read the IncomingMessage: text, json, arrayBuffer, bytes, and a second read fails", async (t) => {
  const server = await start(t, {
    fetch: async (request) => {
      const kind = new URL(request.url).pathname;
      if (kind === "/text") {
        const text = await request.text();
        await assert.rejects(request.text(), /Body is unusable/);
        assert.equal(request.bodyUsed, true);
        return new Response(text);
      }
      if (kind === "/json") return Response.json({ got: await request.json() });
      if (kind === "/array") return new Response(String((await request.arrayBuffer()).byteLength));
      return new Response(String((await request.bytes()).length));
    },
  });
  const post = (path: string, body: string) => fetch(server.url + path, { method: "POST", body }).then((r) => r.text());
  assert.equal(await post("/text", "héllo"), "héllo");
  assert.equal(await post("/json", '{"a":[1,2]}'), '{"got":{"a":[1,2]}}');
  assert.equal(await post("/array", "12345"), "5");
  assert.equal(await post("/bytes", "123"), "3");
});

test("formData, blob, body stream and clone go through a real Request built on demand", async (t) => {
  const server = await start(t, {
    fetch: async (request) => {
      const kind = new URL(request.url).pathname;
      if (kind === "/form") {
        const form = await request.formData();
        return new Response(`${form.get("a")}|${form.get("b")}`);
      }
      if (kind === "/blob") {
        const blob = await request.blob();
        return new Response(`${blob.size} ${blob.type}`);
      }
      if (kind === "/stream") {
        let size = 0;
        const reader = request.body!.getReader();
        for (let r = await reader.read(); !r.done; r = await reader.read()) size += r.value.byteLength;
        return new Response(String(size));
      }
      const copy = request.clone();
      const rebuilt = new Request(copy);
      return new Response(`${await request.text()}|${await rebuilt.text()}|${rebuilt.method}`);
    },
  });
  const form = new FormData();
  form.set("a", "1");
  form.set("b", "two");
  assert.equal(await (await fetch(`${server.url}/form`, { method: "POST", body: form })).text(), "1|two");
  const blob = await fetch(`${server.url}/blob`, { method: "POST", body: "xyz", headers: { "content-type": "text/x-test" } });
  assert.equal(await blob.text(), "3 text/x-test");
  const stream = await fetch(`${server.url}/stream`, { method: "POST", body: "s".repeat(300_000) });
  assert.equal(await stream.text(), "300000");
  assert.equal(await (await fetch(`${server.url}/clone`, { method: "PUT", body: "dup" })).text(), "dup|dup|PUT");
});

test("request.signal aborts when the client disconnects before the response finishes", async (t) => {
  let aborted: (reason: unknown) => void;
  const abortedP = new Promise((resolve) => (aborted = resolve));
  let started: () => void;
  const startedP = new Promise<void>((resolve) => (started = resolve));
  const server = await start(t, {
    fetch: (request) => {
      request.signal.addEventListener("abort", () => aborted(request.signal.reason));
      started();
      return new Promise<Response>(() => {});
    },
  });
  const controller = new AbortController();
  const pending = fetch(server.url, { signal: controller.signal }).catch((error: unknown) => error);
  await startedP;
  controller.abort();
  await pending;
  const reason = await abortedP;
  assert.equal((reason as Error).name, "AbortError");
});

test("request.signal stays quiet for a completed response on a kept-alive socket", async (t) => {
  let signal: AbortSignal | undefined;
  const server = await start(t, {
    fetch: (request) => {
      signal = request.signal;
      return new Response("ok");
    },
  });
  const res = await fetch(server.url);
  await res.text();
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(signal?.aborted, false);
});

test("CONNECT, TRACE and TRACK are refused with 501", async (t) => {
  let calls = 0;
  const server = await start(t, { fetch: () => (calls++, new Response("no")) });
  for (const line of ["TRACE / HTTP/1.1", "CONNECT evil.test:443 HTTP/1.1"]) {
    const reply = await raw(server.port, `${line}\r\nHost: a.test\r\n\r\n`);
    assert.deepEqual(reply.statuses, [501], line);
    assert.match(reply.text, /TND_ERR_SERVER_METHOD/);
  }
  assert.equal(calls, 0);
  // the server is still up
  assert.equal((await fetch(server.url)).status, 200);
});

test("new Request(request) and new Request(url, request) accept the node-backed Request", async (t) => {
  const server = await start(t, {
    fetch: async (request) => {
      if (new URL(request.url).pathname === "/copy") {
        const copy = new Request(request);
        return new Response(`${copy.method} ${copy.url} ${copy.headers.get("x-h")} ${await copy.text()}`);
      }
      const rewritten = new Request(new URL("/elsewhere", request.url), request);
      return new Response(
        `${rewritten.method} ${new URL(rewritten.url).pathname} ${rewritten.headers.get("x-h")} ${await rewritten.text()}`,
      );
    },
  });
  const copy = await fetch(`${server.url}/copy`, { method: "POST", body: "payload", headers: { "x-h": "v" } });
  assert.equal(await copy.text(), `POST ${server.url}/copy v payload`);
  const rewritten = await fetch(`${server.url}/rewrite`, { method: "PATCH", body: "moved", headers: { "x-h": "w" } });
  assert.equal(await rewritten.text(), "PATCH /elsewhere w moved");
});

test("the origin follows each request's own Host (any header case), however requests alternate", async (t) => {
  const server = await start(t, { fetch: (request) => new Response(request.url) });
  const url = async (host: string, path: string, name = "Host") =>
    (await raw(server.port, `GET ${path} HTTP/1.1\r\n${name}: ${host}\r\n\r\n`)).text.split("\r\n\r\n")[1];
  assert.equal(await url("a.test", "/1"), "http://a.test/1");
  assert.equal(await url("b.test:8080", "/2", "HOST"), "http://b.test:8080/2");
  assert.equal(await url("a.test", "/3?q", "host"), "http://a.test/3?q");
  // The host is spelled as the URL parser spells it, whether or not the target needed the parser.
  assert.equal(await url("A.test", "/x/../y"), "http://a.test/y");
  assert.equal(await url("A.test", "/z"), "http://a.test/z");
  assert.deepEqual((await raw(server.port, get("bad host", "/"))).statuses, [400]);
  assert.equal(await url("a.test", "/4"), "http://a.test/4");
});

test("fetch(request) forwards the node-backed Request and a NextRequest, body and headers included; both inspect", async (t) => {
  // The upstream echoes what it got; the proxy's requests carry the upstream's address as Host, so
  // their own url points there and `fetch(request)` forwards them unchanged.
  const upstream = await start(t, {
    fetch: async (request) =>
      new Response(`${request.method} ${new URL(request.url).pathname} ${request.headers.get("x-h")} ${await request.text()}`),
  });
  const inspected: string[] = [];
  const proxy = await start(t, {
    fetch: (request) => {
      inspected.push(inspect(request));
      if (new URL(request.url).pathname === "/next") {
        const next = new NextRequest(request);
        inspected.push(inspect(next));
        return fetch(next);
      }
      return fetch(request);
    },
  });
  const send = (path: string) =>
    raw(
      proxy.port,
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${upstream.port}\r\nX-H: v\r\nContent-Length: 7\r\nConnection: close\r\n\r\npayload`,
    );
  assert.ok((await send("/plain")).text.endsWith("POST /plain v payload"));
  assert.ok((await send("/next")).text.endsWith("POST /next v payload"));
  assert.equal(inspected.length, 3);
  for (const text of inspected) assert.match(text, /POST/);
});
