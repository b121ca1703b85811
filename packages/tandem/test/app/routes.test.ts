import assert from "node:assert/strict";
import { test } from "node:test";
import { createApp } from "../../src/app/create-app.js";
import { HttpError, notFound, redirect, defineHandler } from "tandem/server";
import type { AppManifest } from "../../src/app/types.js";
import { z } from "zod";
import { describeMatrix, logged, quietLogger } from "../support/matrix.js";

const manifest: AppManifest = {
  routes: [
    { pattern: "/api/hello", route: () => ({ GET: () => Response.json({ hello: "world" }) }) },
    {
      pattern: "/api/users/[id]",
      route: () => ({
        GET: async (_req, { params }) => Response.json(await params, { headers: { "x-user": "yes" } }),
        DELETE: () => new Response(null, { status: 204 }),
      }),
    },
    { pattern: "/docs/[...slug]", route: () => ({ GET: async (_r, { params }) => Response.json(await params) }) },
    { pattern: "/shop/[[...rest]]", route: () => ({ GET: async (_r, { params }) => Response.json(await params) }) },
    { pattern: "/api/echo", route: () => ({ POST: async (req) => Response.json(await req.json()) }) },
    // Next.js passes a static route's handlers a context without params (they stay undefined).
    { pattern: "/api/context", route: () => ({ GET: (_r, context) => Response.json({ params: context.params ?? null }) }) },
    {
      pattern: "/api/validated-static",
      route: () => ({ GET: defineHandler({}, ({ params }) => ({ params })) }),
    },
    {
      pattern: "/api/bad-response",
      route: () => ({ GET: defineHandler({ response: z.object({ ok: z.literal(true) }) }, () => ({ ok: false }) as never) }),
    },
    // defineHandler's own entry point: the router hands it the params without a context.
    {
      pattern: "/api/validated/[id]",
      route: () => ({
        GET: defineHandler({ params: z.object({ id: z.string().regex(/^\d+$/) }) }, ({ params }) => ({ id: params.id })),
        POST: defineHandler({ body: z.object({ n: z.number() }) }, ({ params, body }) => ({ params, n: body.n })),
      }),
    },
    {
      pattern: "/api/boom",
      route: () => ({
        GET: () => {
          throw new Error("database password is hunter2");
        },
      }),
    },
    {
      pattern: "/api/teapot",
      route: () => ({
        GET: () => {
          throw new HttpError(418, "TEAPOT", "I am a teapot.");
        },
      }),
    },
    { pattern: "/api/gone", route: () => ({ GET: () => notFound() }) },
    { pattern: "/api/moved", route: () => ({ GET: () => redirect("/api/hello") }) },
    // The same failures from async handlers: their promise rejects after the handler returned it.
    {
      pattern: "/api/async/boom",
      route: () => ({
        GET: async () => {
          await null;
          throw new Error("database password is hunter2");
        },
      }),
    },
    {
      pattern: "/api/async/teapot",
      route: () => ({
        GET: async () => {
          await null;
          throw new HttpError(418, "TEAPOT", "I am a teapot.");
        },
      }),
    },
    {
      pattern: "/api/async/gone",
      route: () => ({
        GET: async () => {
          await null;
          notFound();
        },
      }),
    },
    {
      pattern: "/api/async/moved",
      route: () => ({
        GET: async () => {
          await null;
          redirect("/api/hello");
        },
      }),
    },
    { pattern: "/api/custom-options", route: () => ({ OPTIONS: () => new Response("custom", { status: 200 }) }) },
    {
      pattern: "/api/stream",
      route: () => ({
        GET: () =>
          new Response(
            new ReadableStream({
              start(c) {
                c.enqueue(new TextEncoder().encode("a"));
                c.enqueue(new TextEncoder().encode("b"));
                c.close();
              },
            }),
          ),
      }),
    },
  ],
};

const production = () => createApp(manifest, { logger: quietLogger });

describeMatrix("route handlers", production, (fetch) => {
  test("GET returns the handler's JSON", async () => {
    const res = await fetch("/api/hello");
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { hello: "world" });
  });

  test("params are decoded and passed as a promise", async () => {
    assert.deepEqual(await (await fetch("/api/users/caf%C3%A9")).json(), { id: "café" });
    assert.deepEqual(await (await fetch("/docs/a/b%2Fc/d")).json(), { slug: ["a", "b/c", "d"] });
    assert.deepEqual(await (await fetch("/shop")).json(), {});
    assert.deepEqual(await (await fetch("/shop/x/y")).json(), { rest: ["x", "y"] });
  });

  test("a static route's handler gets a context whose params are undefined, as in Next.js", async () => {
    assert.deepEqual(await (await fetch("/api/context")).json(), { params: null });
    assert.deepEqual(await (await fetch("/api/context", { method: "HEAD" })).text(), "");
    // defineHandler's handlers still get an object.
    assert.deepEqual(await (await fetch("/api/validated-static")).json(), { params: {} });
  });

  test("a defineHandler route gets its params, validated, and its body", async () => {
    assert.deepEqual(await (await fetch("/api/validated/42")).json(), { id: "42" });
    assert.equal((await fetch("/api/validated/x")).status, 400);
    const posted = await fetch("/api/validated/7", { method: "POST", headers: { "content-type": "application/json" }, body: '{"n":3}' });
    assert.deepEqual(await posted.json(), { params: { id: "7" }, n: 3 });
    // HEAD goes to GET through the Next.js-style context instead.
    const head = await fetch("/api/validated/42", { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), "");
  });

  test("HEAD falls back to GET without a body", async () => {
    const res = await fetch("/api/users/7", { method: "HEAD" });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-user"), "yes");
    assert.equal(await res.text(), "");
  });

  test("OPTIONS answers with Allow unless exported", async () => {
    const res = await fetch("/api/users/7", { method: "OPTIONS" });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get("allow"), "GET, HEAD, DELETE, OPTIONS");
    const custom = await fetch("/api/custom-options", { method: "OPTIONS" });
    assert.equal(await custom.text(), "custom");
  });

  test("an unexported method is 405 with Allow", async () => {
    const res = await fetch("/api/users/7", { method: "PUT", headers: { accept: "application/json" } });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get("allow"), "GET, HEAD, DELETE, OPTIONS");
    assert.equal((await res.json()).error.code, "TND_ERR_METHOD_NOT_ALLOWED");
  });

  test("a method outside Next.js's set (PROPFIND) is 400, as in Next.js", async () => {
    const res = await fetch("/api/users/7", { method: "PROPFIND", headers: { accept: "application/json" } });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error.code, "TND_ERR_METHOD_UNKNOWN");
  });

  test("no route is 404: JSON when asked for, HTML otherwise", async () => {
    const json = await fetch("/nope", { headers: { accept: "application/json" } });
    assert.equal(json.status, 404);
    assert.equal((await json.json()).error.code, "TND_ERR_NOT_FOUND");
    const html = await fetch("/nope", { headers: { accept: "text/html" } });
    assert.equal(html.status, 404);
    assert.match(html.headers.get("content-type")!, /text\/html/);
    assert.match(await html.text(), /404/);
    // An app without pages answers with Next.js's default 404 page: its title and its text.
    const page = await (await fetch("/nope")).text();
    assert.match(page, /<title>404: This page could not be found\.<\/title>/);
    assert.match(page, /<h1>404<\/h1><h2>This page could not be found\.<\/h2>/);
  });

  test("an async handler's rejection gets the same answers as a throw: 500 without the message, HttpError, notFound, redirect", async () => {
    logged.length = 0;
    const boom = await fetch("/api/async/boom", { headers: { accept: "application/json" } });
    assert.equal(boom.status, 500);
    const id = boom.headers.get("x-request-id");
    assert.ok(id);
    assert.deepEqual(await boom.json(), { error: { code: "TND_ERR_INTERNAL", message: "Internal Server Error", requestId: id } });
    assert.ok(logged.some((args) => String(args[0]).includes(id!) && (args[1] as Error).message.includes("hunter2")));
    const teapot = await fetch("/api/async/teapot", { headers: { accept: "application/json" } });
    assert.equal(teapot.status, 418);
    assert.equal(((await teapot.json()) as { error: { code: string } }).error.code, "TEAPOT");
    const gone = await fetch("/api/async/gone", { headers: { accept: "application/json" } });
    assert.equal(gone.status, 404);
    await gone.arrayBuffer();
    const moved = await fetch("/api/async/moved");
    assert.equal(moved.status, 307);
    assert.equal(new URL(moved.headers.get("location")!, "http://localhost").pathname, "/api/hello");
    await moved.arrayBuffer();
  });

  test("a 5xx HttpError (a validated handler's data broke its schema) is logged with the request's id and its cause", async () => {
    logged.length = 0;
    const res = await fetch("/api/bad-response", { headers: { accept: "application/json", "x-request-id": "ignored" } });
    assert.equal(res.status, 500);
    const body = (await res.json()) as { error: { code: string; issues?: unknown } };
    assert.equal(body.error.code, "TND_ERR_API_RESPONSE_INVALID");
    assert.equal(body.error.issues, undefined, "the issues describe server code: never sent");
    const line = logged.find((args) => String(args[0]).includes("GET /api/bad-response failed"));
    assert.ok(line, `no log line for the request in ${JSON.stringify(logged)}`);
    const [message, error, fields] = line as [string, HttpError, { reqId: string; cause: { issues: unknown[] } }];
    assert.ok(message.includes(fields.reqId));
    assert.equal(error.code, "TND_ERR_API_RESPONSE_INVALID");
    assert.equal(fields.cause.issues.length, 1);
  });

  test("a throwing handler is 500 without leaking the message in production", async () => {
    logged.length = 0;
    const res = await fetch("/api/boom", { headers: { accept: "application/json" } });
    assert.equal(res.status, 500);
    const body = await res.json();
    const id = res.headers.get("x-request-id");
    assert.ok(id);
    assert.deepEqual(body, { error: { code: "TND_ERR_INTERNAL", message: "Internal Server Error", requestId: id } });
    assert.ok(logged.some((args) => String(args[0]).includes(id!) && (args[1] as Error).message.includes("hunter2")));
    const html = await (await fetch("/api/boom")).text();
    assert.doesNotMatch(html, /hunter2/);
  });

  test("HttpError, notFound() and redirect() become their responses", async () => {
    const teapot = await fetch("/api/teapot", { headers: { accept: "application/json" } });
    assert.equal(teapot.status, 418);
    assert.deepEqual(await teapot.json(), { error: { code: "TEAPOT", message: "I am a teapot." } });
    assert.equal((await fetch("/api/gone")).status, 404);
    const moved = await fetch("/api/moved");
    assert.equal(moved.status, 307);
    assert.match(moved.headers.get("location")!, /\/api\/hello$/);
  });

  test("a trailing slash redirects with 308 and keeps the query", async () => {
    const res = await fetch("/api/hello/?x=1");
    assert.equal(res.status, 308);
    assert.equal(res.headers.get("location"), "/api/hello?x=1");
  });

  test("bad percent-encoding and NUL are 400", async () => {
    assert.equal((await fetch("/api/users/%zz")).status, 400);
    assert.equal((await fetch("/api/users/a%00b")).status, 400);
  });

  test("a param over 100 characters is 404", async () => {
    assert.equal((await fetch(`/api/users/${"x".repeat(101)}`)).status, 404);
    assert.equal((await fetch(`/api/users/${"x".repeat(100)}`)).status, 200);
  });

  test("POST bodies reach the handler; streamed responses arrive whole", async () => {
    const res = await fetch("/api/echo", {
      method: "POST",
      body: JSON.stringify({ a: [1, 2] }),
      headers: { "content-type": "application/json" },
    });
    assert.deepEqual(await res.json(), { a: [1, 2] });
    assert.equal(await (await fetch("/api/stream")).text(), "ab");
  });

  test("proto-poisoned JSON is 400 and pollutes nothing", async () => {
    const res = await fetch("/api/echo", {
      method: "POST",
      body: '{"__proto__":{"polluted":true}}',
      headers: { "content-type": "application/json" },
    });
    assert.equal(res.status, 400);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describeMatrix(
  "development errors",
  () => createApp(manifest, { dev: true, logger: quietLogger }),
  (fetch) => {
    test("a throwing handler shows the message and stack in dev", async () => {
      const res = await fetch("/api/boom", { headers: { accept: "application/json" } });
      assert.equal(res.status, 500);
      const body = await res.json();
      assert.match(body.error.message, /hunter2/);
      assert.match(body.error.stack, /routes\.test\.ts/);
    });
  },
);

test("a route module exporting a non-function method fails with its code", async () => {
  const app = createApp({ routes: [{ pattern: "/x", route: () => ({ GET: "nope" }) as never }] }, { dev: true, logger: quietLogger });
  const res = await app.fetch(new Request("http://localhost/x", { headers: { accept: "application/json" } }));
  assert.equal(res.status, 500);
  assert.match((await res.json()).error.message, /TND_ERR_INVALID_ROUTE_MODULE/);
});
