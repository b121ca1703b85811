// Pages through createApp + serve(), as `tandem start` will run them.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { buildAndServeApp } from "./pipeline.js";
import type { Site } from "./harness.js";

let site: Site;
before(async () => {
  site = await buildAndServeApp();
});
after(() => site?.close());

test("pages, params, metadata and the client bundle are served through createApp", async () => {
  const html = await (await fetch(`${site.url}/posts/9?tab=a`)).text();
  assert.match(html, /<h1 id="post">Post <!-- -->9<\/h1>/);
  assert.match(html, /<title>Post 9 \| Fixture Site<\/title>/);
  const script = /import\("(\/assets\/index-[\w-]+\.js)"\)/.exec(html)?.[1];
  assert.ok(script, "the browser entry is referenced");
  const js = await fetch(site.url + script);
  assert.equal(js.status, 200);
  assert.match(js.headers.get("content-type")!, /javascript/);
});

test("notFound(), redirect(), error.tsx and force-static keep their statuses through createApp", async () => {
  assert.equal((await fetch(`${site.url}/missing`)).status, 404);
  const go = await fetch(`${site.url}/go`, { redirect: "manual" });
  assert.equal(go.status, 307);
  assert.equal(go.headers.get("location"), `${site.url}/posts/7`);
  assert.equal((await fetch(`${site.url}/boom`)).status, 500);
  assert.equal((await fetch(`${site.url}/docs/intro`)).headers.get("x-tandem-static"), "1");
});

test("sitemap.xml and robots.txt come from the generated entry's routes", async () => {
  assert.match(await (await fetch(`${site.url}/sitemap.xml`)).text(), /<loc>https:\/\/fixture.example\/<\/loc>/);
  assert.match(await (await fetch(`${site.url}/robots.txt`)).text(), /^User-Agent: \*/);
});

test("route handlers run inside the request context: cookies() reads and sets", async () => {
  const res = await fetch(`${site.url}/api/whoami`, { method: "POST", headers: { cookie: "visits=4" } });
  assert.deepEqual(await res.json(), { before: "4" });
  assert.equal(res.headers.get("set-cookie"), "visits=5; Path=/; HttpOnly; SameSite=Lax");
});

test("action security holds behind createApp and serve()", async () => {
  const html = await (await fetch(`${site.url}/form`)).text();
  const id = /name="\$ACTION_ID_([^"]+)"/.exec(html)![1]!;
  const evil = await fetch(`${site.url}/form`, {
    method: "POST",
    body: "[]",
    headers: { "x-tandem-action": id, origin: "https://evil.example", "content-type": "text/plain" },
  });
  assert.equal(evil.status, 403);
  const unknown = await fetch(`${site.url}/form`, {
    method: "POST",
    body: "[]",
    headers: { "x-tandem-action": "nope#nope", origin: site.url, "content-type": "text/plain" },
  });
  assert.equal(unknown.status, 404);
  const ok = await fetch(`${site.url}/form`, {
    method: "POST",
    body: '["hi"]',
    headers: { "x-tandem-action": id.replace(/#addItem$/, "#echo"), "x-tandem-rsc": "1", origin: site.url, "content-type": "text/plain" },
  });
  assert.equal(ok.status, 200);
  assert.match(await ok.text(), /"returnValue":\{"ok":true,"data":"hi"\}/);
});
