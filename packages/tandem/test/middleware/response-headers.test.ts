// Response headers from middleware's next({ headers }) land on the route's response with Headers
// semantics (set replaces any case, set-cookie appends), whether the two responses are still plain
// (the fast path merges pairs) or someone already read their headers.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createApp } from "../../src/app/create-app.js";
import { next } from "tandem/server";
import type { AppManifest, MiddlewareModule } from "../../src/app/types.js";
import { describeMatrix, quietLogger } from "../support/matrix.js";

const routes: AppManifest["routes"] = [
  {
    pattern: "/plain",
    route: () => ({ GET: () => Response.json({ ok: true }, { headers: { "X-Tag": "route", "set-cookie": "r=1", "x-keep": "yes" } }) }),
  },
  {
    pattern: "/read",
    route: () => ({
      GET: () => {
        const response = Response.json(
          { ok: true },
          {
            headers: [
              ["x-tag", "route"],
              ["set-cookie", "r=1"],
              ["x-keep", "yes"],
            ],
          },
        );
        response.headers.append("x-read", "1");
        return response;
      },
    }),
  },
  { pattern: "/text", route: () => ({ GET: () => new Response("hi") }) },
  { pattern: "/bare", route: () => ({ GET: () => Response.json({ ok: true }) }) },
  { pattern: "/redirect", route: () => ({ GET: () => Response.redirect("http://localhost/elsewhere", 307) }) },
];

function* generated(): Generator<[string, string]> {
  yield ["x-tag", "middleware"];
  yield ["Set-Cookie", "m=1"];
  yield ["content-type", "text/x-mw"];
}

// One record for every request: the route's response takes it as its headers, so it must never change.
const SHARED = Object.freeze({ "X-Tag": "shared", "Set-Cookie": "s=1" });

const middleware: MiddlewareModule = {
  middleware: (request: Request) => {
    const path = new URL(request.url).pathname;
    if (path === "/text") return next({ headers: { "X-Tag": "middleware" } });
    if (path === "/bare") return next({ headers: SHARED });
    return next({ headers: generated() as unknown as HeadersInit });
  },
};

const app = () => createApp({ routes, middleware: () => middleware }, { logger: quietLogger });

describeMatrix("middleware response headers", app, (fetch) => {
  for (const path of ["/plain", "/read"]) {
    test(`${path}: middleware's value replaces the route's, set-cookie is added, others stay`, async () => {
      const response = await fetch(path);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("x-tag"), "middleware");
      assert.equal(response.headers.get("x-keep"), "yes");
      assert.equal(response.headers.get("content-type"), "text/x-mw");
      assert.deepEqual(response.headers.getSetCookie(), ["r=1", "m=1"]);
      assert.deepEqual(await response.json(), { ok: true });
    });
  }

  test("the route's default content-type stays when middleware sets none", async () => {
    const response = await fetch("/text");
    assert.equal(response.headers.get("x-tag"), "middleware");
    assert.equal(response.headers.get("content-type"), "text/plain;charset=UTF-8");
    assert.equal(await response.text(), "hi");
  });

  test("a record shared by every request lands whole on each response and is never changed", async () => {
    for (let i = 0; i < 3; i++) {
      const response = await fetch("/bare");
      assert.equal(response.headers.get("x-tag"), "shared");
      assert.deepEqual(response.headers.getSetCookie(), ["s=1"]);
      assert.equal(response.headers.get("content-type"), "application/json");
    }
    assert.deepEqual(SHARED, { "X-Tag": "shared", "Set-Cookie": "s=1" });
  });

  test("a response with immutable headers is copied, not failed", async () => {
    const response = await fetch("/redirect");
    assert.equal(response.status, 307);
    assert.equal(response.headers.get("location"), "http://localhost/elsewhere");
    assert.equal(response.headers.get("x-tag"), "middleware");
  });
});

test("a request no middleware runs for answers a synchronous handler without a promise (the one fast path)", async () => {
  const withMiddleware = app();
  await withMiddleware.fetch(new Request("http://localhost/plain"));
  const handled = withMiddleware.handle(new Request("http://localhost/plain"));
  assert.ok(handled instanceof Promise);
  assert.equal((await handled).headers.get("x-tag"), "middleware");
  const bare = createApp({ routes }, { logger: quietLogger });
  await bare.fetch(new Request("http://localhost/plain")); // the route module loads once, asynchronously
  const sync = bare.handle(new Request("http://localhost/plain"));
  assert.ok(sync instanceof Response);
  assert.equal(sync.headers.get("x-tag"), "route");
  // Middleware whose matcher leaves the path alone: the same fast path, once the module is loaded.
  const elsewhere = createApp(
    { routes, middleware: () => ({ ...middleware, config: { matcher: "/mw/:path*" } }) },
    { logger: quietLogger },
  );
  await elsewhere.fetch(new Request("http://localhost/plain"));
  const skipped = elsewhere.handle(new Request("http://localhost/plain"));
  assert.ok(skipped instanceof Response);
  assert.equal(skipped.headers.get("x-tag"), "route");
});
