import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createTestApp, type TestApp, type TestMode } from "tandem/testing";

// In memory by default (built, then served by this process); TANDEM_TEST_MODE=start or dev runs
// the same tests against `tandem start` or `tandem dev`.
let app: TestApp;
before(async () => {
  app = await createTestApp(".", { mode: (process.env.TANDEM_TEST_MODE as TestMode | undefined) ?? "memory" });
});
after(() => app?.close());

test("the home page is rendered on the server", async () => {
  const res = await app.fetch("/");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
  const html = await res.text();
  assert.match(html, /<h1>Hello, world!<\/h1>/);
  assert.match(html, /<title>Tandem app<\/title>/);
});

test("GET /api/hello greets by name", async () => {
  const res = await app.fetch("/api/hello?name=Ada");
  assert.equal(res.status, 200);
  const body = (await res.json()) as { message: string; at: string };
  assert.equal(body.message, "Hello, Ada!");
  assert.ok(!Number.isNaN(Date.parse(body.at)));
});

test("a name over 100 characters is a 400 that says why", async () => {
  const res = await app.fetch(`/api/hello?name=${"a".repeat(101)}`);
  assert.equal(res.status, 400);
  assert.deepEqual(await res.json(), { error: "name is longer than 100 characters" });
});

test("app/favicon.ico is served and every page links it", async () => {
  const res = await app.fetch("/favicon.ico");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "image/x-icon");
  assert.ok((await res.arrayBuffer()).byteLength > 0);
  assert.match(await (await app.fetch("/")).text(), /<link rel="icon" href="\/favicon.ico" type="image\/x-icon" sizes="16x16"\/>/);
});
