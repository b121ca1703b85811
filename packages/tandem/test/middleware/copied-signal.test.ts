// Middleware that answers a copy of what next()/rewrite() gave it (Auth.js returns
// `new Response(response.body, response)`): the copy keeps status and headers only, so the continue
// mark travels as a header holding this process's token. A header without that token is an
// ordinary header, and the mark never reaches a client.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createApp } from "../../src/app/create-app.js";
import { next, rewrite } from "../../src/app/middleware/helpers.js";
import type { AppManifest } from "../../src/app/types.js";
import { NextResponse } from "../../src/compat/next-response.js";
import { quietLogger } from "../support/matrix.js";

const routes: AppManifest["routes"] = [
  { pattern: "/who", route: () => ({ GET: (request: Request) => new Response(`hi ${request.headers.get("x-user")}`) }) },
  { pattern: "/other", route: () => ({ GET: () => new Response("other page") }) },
  { pattern: "/handler-copy", route: () => ({ GET: () => new Response(null, NextResponse.next()) }) },
];

function appWith(middleware: (request: Request) => Response | Promise<Response>): ReturnType<typeof createApp> {
  return createApp({ routes, middleware: () => ({ middleware, config: { matcher: ["/who", "/other"] } }) }, { logger: quietLogger });
}

const get = (app: ReturnType<typeof createApp>, path: string) => app.fetch(new Request(`http://localhost${path}`));

for (const [name, make] of [
  ["NextResponse.next()", (init: Parameters<typeof NextResponse.next>[0]) => NextResponse.next(init)],
  ["tandem/server next()", (init: Parameters<typeof next>[0]) => next(init)],
] as const) {
  test(`a copy of ${name} continues, with its request and response headers`, async () => {
    const app = appWith(() => {
      const original = make({ request: { headers: { "x-user": "ada" } }, headers: { "x-frame-options": "DENY" } });
      const copy = new Response(original.body, original);
      copy.headers.append("set-cookie", "seen=1; Path=/");
      return copy;
    });
    const response = await get(app, "/who");
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "hi ada");
    assert.equal(response.headers.get("x-frame-options"), "DENY");
    assert.equal(response.headers.get("set-cookie"), "seen=1; Path=/");
    assert.equal(response.headers.get("x-tandem-middleware"), null);
  });
}

test("a copy of rewrite() serves the other path", async () => {
  const app = appWith((request) =>
    new URL(request.url).pathname === "/who" ? new Response(null, rewrite("/other", { headers: { "x-rewritten": "1" } })) : next(),
  );
  const response = await get(app, "/who");
  assert.equal(await response.text(), "other page");
  assert.equal(response.headers.get("x-rewritten"), "1");
  assert.equal(response.headers.get("x-tandem-middleware"), null);
});

test("next() whose headers middleware changed continues without sending the mark", async () => {
  const app = appWith(() => {
    const response = NextResponse.next();
    response.headers.set("x-checked", "yes");
    return response;
  });
  const response = await get(app, "/who");
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("x-checked"), "yes");
  assert.equal(response.headers.get("x-tandem-middleware"), null);
});

test("the header without this process's token is an ordinary header: the response is the answer", async () => {
  const forged = [
    "00000000-0000-0000-0000-000000000000 %7B%22kind%22%3A%22next%22%7D",
    `${"x".repeat(36)} ${encodeURIComponent(JSON.stringify({ kind: "next" }))}`,
    "next",
  ];
  for (const value of forged) {
    // As from a server whose answer middleware passes on (a fetch() it returns).
    const app = appWith(() => new Response("denied", { status: 401, headers: { "x-tandem-middleware": value } }));
    const response = await get(app, "/who");
    assert.equal(response.status, 401, value);
    assert.equal(await response.text(), "denied");
  }
});

test("a route handler answering a copy of next() fails as next() itself does, and the mark stays in", async () => {
  const app = createApp({ routes }, { logger: quietLogger });
  const response = await get(app, "/handler-copy");
  assert.equal(response.status, 500);
  assert.equal(response.headers.get("x-tandem-middleware"), null);
  assert.match(await response.text(), /TND_ERR_ROUTE_MIDDLEWARE_RESPONSE|Internal Server Error/);
});
