import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type App, build, start } from "./server.ts";

let app: App;
before(async () => {
  await build();
  app = await start();
});
after(() => app?.stop());

test("the home page is rendered on the server", async () => {
  const res = await fetch(new URL("/", app.url));
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
  const html = await res.text();
  assert.match(html, /<h1>Hello, world!<\/h1>/);
  assert.match(html, /<title>Tandem app<\/title>/);
});

test("GET /api/hello greets by name", async () => {
  const res = await fetch(new URL("/api/hello?name=Ada", app.url));
  assert.equal(res.status, 200);
  const body = (await res.json()) as { message: string; at: string };
  assert.equal(body.message, "Hello, Ada!");
  assert.ok(!Number.isNaN(Date.parse(body.at)));
});

test("a name over 100 characters is a 400 that says why", async () => {
  const res = await fetch(new URL(`/api/hello?name=${"a".repeat(101)}`, app.url));
  assert.equal(res.status, 400);
  assert.deepEqual(await res.json(), { error: "name is longer than 100 characters" });
});

test("the favicon is served from public/", async () => {
  const res = await fetch(new URL("/favicon.ico", app.url));
  assert.equal(res.status, 200);
  assert.ok((await res.arrayBuffer()).byteLength > 0);
});
