import assert from "node:assert/strict";
import { test } from "node:test";
import { next, rewrite, TandemError } from "tandem/server";
import { getMiddlewareSignal, rewritePath } from "../../src/app/middleware/signals.js";

test("next() continues; its one header is the mark with this process's token, for copies", () => {
  const response = next();
  assert.deepEqual(getMiddlewareSignal(response), { kind: "next", requestHeaders: undefined });
  const headers = [...response.headers];
  assert.deepEqual(
    headers.map(([name]) => name),
    ["x-tandem-middleware"],
  );
  // Not a constant a client or another server could send: a random token, then the data.
  assert.match(headers[0]![1], /^[0-9a-f-]{36} /);
  assert.equal(next().headers.get("x-tandem-middleware")?.slice(0, 36), headers[0]![1].slice(0, 36));
});

test("next() with request headers replaces what the handler sees; response headers stay on the response", () => {
  const response = next({ request: { headers: { "x-user": "ada" } }, headers: { "x-frame-options": "DENY" } });
  const signal = getMiddlewareSignal(response);
  assert.equal(signal?.kind, "next");
  assert.deepEqual([...signal!.requestHeaders!], [["x-user", "ada"]]);
  assert.equal(response.headers.get("x-frame-options"), "DENY");
  assert.equal(response.headers.get("x-user"), null);
  for (const [name] of response.headers) assert.ok(!name.startsWith("x-middleware"), name);
});

test("rewrite() to a path lands on the request's origin", () => {
  const response = rewrite("/en/about?ref=1", { headers: { "x-locale": "en" } });
  const signal = getMiddlewareSignal(response);
  assert.equal(signal?.kind, "rewrite");
  assert.equal(signal.kind === "rewrite" && signal.destination, "/en/about?ref=1");
  assert.equal(signal.kind === "rewrite" && rewritePath(signal.destination, () => "http://127.0.0.1:4000/about"), "/en/about");
  assert.equal(response.headers.get("x-locale"), "en");
});

test("rewrite() to an absolute URL of the same origin is kept", () => {
  const response = rewrite(new URL("/b", "http://localhost:3000/a"));
  const signal = getMiddlewareSignal(response);
  assert.equal(signal?.kind === "rewrite" && signal.destination, "http://localhost:3000/b");
  assert.equal(signal?.kind === "rewrite" && rewritePath(signal.destination, () => "http://localhost:3000/a"), "/b");
});

test("cross-origin rewrites are refused when the middleware result is checked (no proxying)", () => {
  for (const target of ["http://169.254.169.254/latest/meta-data", "https://localhost:3000/a", "http://localhost:3001/a"]) {
    const signal = getMiddlewareSignal(rewrite(target));
    assert.throws(
      () => signal?.kind === "rewrite" && rewritePath(signal.destination, () => "http://localhost:3000/a"),
      (error: unknown) => error instanceof TandemError && error.code === "TND_ERR_MIDDLEWARE_REWRITE",
      target,
    );
  }
});

test("rewrite() rejects targets that are neither a path nor an absolute URL", () => {
  for (const target of ["//evil.example/x", "/\\evil.example", "relative/path", ""]) {
    assert.throws(
      () => rewrite(target),
      (error: unknown) =>
        error instanceof TandemError && error.code === "TND_ERR_MIDDLEWARE_REWRITE" && error.message.includes(JSON.stringify(target)),
      target,
    );
  }
});

test("a client header cannot fake a signal", () => {
  const response = new Response(null, { headers: { "x-middleware-next": "1", "x-middleware-rewrite": "http://localhost/admin" } });
  assert.equal(getMiddlewareSignal(response), undefined);
});
