// CVE-2025-29927 class: Next.js trusted `x-middleware-subrequest` from clients and skipped
// middleware. Tandem keeps middleware state out of headers; here a client sends every plausible
// internal header and nothing it sends skips middleware, changes routing or forges request data.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { after, before, test } from "node:test";
import { createApp } from "../../src/app/create-app.js";
import { NextResponse, type NextRequest } from "tandem/next-server";
import type { AppManifest, MiddlewareModule } from "../../src/app/types.js";
import { describeMatrix, quietLogger } from "../support/matrix.js";

const text = (body: string) => () => new Response(body);

const routes: AppManifest["routes"] = [
  { pattern: "/admin/secret", route: () => ({ GET: text("secret") }) },
  { pattern: "/public", route: () => ({ GET: text("public") }) },
  { pattern: "/old", route: () => ({ GET: text("old") }) },
  { pattern: "/new", route: () => ({ GET: text("new") }) },
  {
    pattern: "/whoami",
    route: () => ({
      GET: (request: Request) => Response.json({ user: request.headers.get("x-user"), cookie: request.headers.get("cookie") }),
    }),
  },
];

let runs = 0;
const guard: MiddlewareModule = {
  middleware(request: NextRequest) {
    runs++;
    const { pathname } = request.nextUrl;
    if (pathname.startsWith("/admin") && request.cookies.get("session")?.value !== "valid") {
      return NextResponse.json({ error: "unauthorized" }, { status: 401 });
    }
    if (pathname === "/old") return NextResponse.rewrite(new URL("/new", request.url));
    return NextResponse.next();
  },
  config: { matcher: ["/admin/:path*", "/old", "/public", "/whoami"] },
};

const subrequest = [
  "middleware",
  "middleware:middleware:middleware:middleware:middleware",
  "src/middleware",
  "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware",
  "pages/_middleware",
  "pages/admin/_middleware",
  "proxy:proxy:proxy:proxy:proxy",
  "src/proxy:src/proxy:src/proxy:src/proxy:src/proxy",
];

const attacks: Array<Record<string, string>> = [
  ...subrequest.map((value) => ({ "x-middleware-subrequest": value })),
  { "x-middleware-subrequest-id": "1", "x-middleware-subrequest": "middleware" },
  { "x-middleware-rewrite": "/admin/secret" },
  { "x-middleware-rewrite": "http://localhost/admin/secret" },
  { "x-middleware-rewrite": "/public" },
  { "x-middleware-next": "1" },
  {
    "x-middleware-override-headers": "x-user,cookie",
    "x-middleware-request-x-user": "admin",
    "x-middleware-request-cookie": "session=valid",
  },
  { "x-middleware-set-cookie": "session=valid", "x-middleware-redirect": "/public" },
  { "x-middleware-prefetch": "1", "x-middleware-skip": "1", "x-middleware-invoke": "1" },
  { "x-invoke-path": "/public", "x-invoke-query": '{"a":"1"}', "x-invoke-output": "/public", "x-invoke-status": "200" },
  { "x-invoke-path": "/new" },
  { "x-now-route-matches": "1=public" },
  { "x-now-route-matches": "nxtPpath=public" },
  { "x-matched-path": "/public" },
  { "x-matched-path": "/new" },
  { "x-nextjs-data": "1", "x-nextjs-rewrite": "/public", "x-nextjs-redirect": "/public" },
  { "x-tandem-middleware": "skip", "x-tandem-signal": "next", "x-tandem-rewrite": "/public", "x-tandem-internal": "1" },
  { "x-tandem-route": "/public", "x-tandem-matched": "/public", "x-tandem-request-x-user": "admin" },
  { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https", forwarded: "host=evil.example;proto=https" },
  { "next-router-prefetch": "1", purpose: "prefetch", rsc: "1", "next-router-state-tree": "%5B%5D" },
];
// Everything at once, too (the last value of a repeated name wins).
attacks.push(Object.assign({}, ...attacks));

describeMatrix(
  "client-sent internal headers",
  () => createApp({ routes, middleware: () => guard }, { logger: quietLogger }),
  (fetch) => {
    test("never skip middleware on a protected path", async () => {
      for (const headers of attacks) {
        const before = runs;
        const response = await fetch("/admin/secret", { headers });
        assert.equal(response.status, 401, JSON.stringify(headers));
        assert.deepEqual(await response.json(), { error: "unauthorized" });
        assert.equal(runs, before + 1, `middleware ran for ${JSON.stringify(headers)}`);
      }
    });

    test("never change which route serves the request", async () => {
      for (const headers of attacks) {
        assert.equal(await (await fetch("/public", { headers })).text(), "public", JSON.stringify(headers));
        assert.equal(await (await fetch("/old", { headers })).text(), "new", JSON.stringify(headers));
        assert.equal(await (await fetch("/new", { headers })).text(), "new", JSON.stringify(headers));
      }
    });

    test("never forge request headers or cookies seen by the handler", async () => {
      for (const headers of attacks) {
        const seen = await (await fetch("/whoami", { headers })).json();
        assert.deepEqual(seen, { user: null, cookie: null }, JSON.stringify(headers));
      }
    });

    test("encoded or re-cased paths do not skip middleware either", async () => {
      for (const path of [
        "/%61dmin/secret",
        "/admin/%73ecret",
        "/%61%64%6D%69%6E/%73ecret",
        "/Admin/secret",
        "/admin//secret",
        "/admin/./secret",
      ]) {
        const response = await fetch(path);
        assert.notEqual(await response.text(), "secret", path);
      }
      // Encoded spellings are sent to the one canonical path first; there the guard answers 401.
      for (const path of ["/%61dmin/secret", "/admin/%73ecret"]) {
        const response = await fetch(path, { redirect: "manual" });
        assert.equal(response.status, 308, path);
        const location = response.headers.get("location")!;
        assert.equal(location, "/admin/secret");
        assert.equal((await fetch(location)).status, 401, path);
      }
    });

    test("the real session still works (the guard is not simply always closed)", async () => {
      const response = await fetch("/admin/secret", { headers: { cookie: "session=valid" } });
      assert.equal(await response.text(), "secret");
    });
  },
);

test("WebSocket upgrade requests go through the same middleware", async () => {
  const app = createApp({ routes, middleware: () => guard }, { logger: quietLogger });
  for (const headers of attacks) {
    const result = await app.upgrade(new Request("http://localhost/admin/secret", { headers: { ...headers, upgrade: "websocket" } }));
    assert.equal(result.kind, "response");
    assert.equal(result.kind === "response" && result.response.status, 401, JSON.stringify(headers));
  }
});

// A rewrite to another origin must fail the request without ever connecting there.
let target: Server;
let connections = 0;
let targetUrl = "";
before(async () => {
  target = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
  const address = target.address();
  targetUrl = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}/steal`;
});
after(() => new Promise<void>((resolve) => target.close(() => resolve())));

const proxying: MiddlewareModule = {
  middleware: (request: NextRequest) => NextResponse.rewrite(request.nextUrl.searchParams.get("to") ?? targetUrl),
};

describeMatrix(
  "cross-origin rewrites",
  () => createApp({ routes, middleware: () => proxying }, { logger: quietLogger }),
  (fetch) => {
    test("answer 500 and open no connection to the other host", async () => {
      const response = await fetch("/public");
      assert.equal(response.status, 500);
      assert.doesNotMatch(await response.text(), /steal/);
      assert.equal(connections, 0);
    });

    test("even when the target is taken from the request", async () => {
      const response = await fetch(`/public?to=${encodeURIComponent(targetUrl)}`);
      assert.equal(response.status, 500);
      assert.equal(connections, 0);
    });
  },
);
