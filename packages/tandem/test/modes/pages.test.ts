// Pages in every mode (in memory, `tandem start`, `tandem dev`), on a copy of the fixture site:
// SSR, streaming, error.tsx and not-found.tsx, redirects, metadata routes, route handlers with
// cookies(), and Server Actions called from JavaScript and posted by a plain form.
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { after, test } from "node:test";
import { copySite } from "../pages/harness.js";
import { describeModes } from "../support/modes.js";

const root = await copySite();
after(() => rm(root, { recursive: true, force: true }));

describeModes("pages", root, (app, mode) => {
  test("SSR: the page, its params and metadata, and the browser entry it references", async () => {
    const html = await (await app().fetch("/posts/9?tab=a", { headers: { cookie: "session=abc" } })).text();
    assert.match(html, /<h1 id="post">Post <!-- -->9<\/h1>/);
    assert.match(html, /tab=<!-- -->a/);
    assert.match(html, /session=<!-- -->abc/);
    assert.match(html, /<title>Post 9 \| Fixture Site<\/title>/);
    const script = /import\("([^"]+)"\)/.exec(html)?.[1];
    assert.ok(script, "the browser entry is referenced");
    const js = await app().fetch(script);
    assert.equal(js.status, 200);
    assert.match(js.headers.get("content-type")!, /javascript/);
    await js.body?.cancel();
  });

  test("streaming: loading.tsx arrives before the slow data", async () => {
    const response = await app().fetch("/stream");
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const first = decoder.decode((await reader.read()).value);
    assert.match(first, /<p id="loading">Loading data…<\/p>/);
    assert.doesNotMatch(first, /Slow data arrived/);
    let rest = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += decoder.decode(r.value);
    assert.match(rest, /<p id="data">Slow data arrived<\/p>/);
  });

  test("not-found.tsx answers 404 for notFound() and unknown paths", async () => {
    for (const path of ["/missing", "/no/such/page"]) {
      const response = await app().fetch(path, { headers: { accept: "text/html" } });
      assert.equal(response.status, 404, path);
      const html = await response.text();
      assert.match(html, /<h1 id="not-found">Nothing here<\/h1>/);
      // Inside the root layout with its metadata, as Next.js renders it.
      assert.match(html, /<title>Fixture Site<\/title>/, path);
      assert.match(html, /<nav>/, path);
    }
    // A client that does not ask for HTML by name (curl, fetch: */*) gets the same page, as from
    // Next.js; one that asks for JSON gets Tandem's JSON error.
    const any = await app().fetch("/no/such/page");
    assert.equal(any.status, 404);
    assert.match(await any.text(), /<h1 id="not-found">Nothing here<\/h1>/);
    const json = await app().fetch("/no/such/page", { headers: { accept: "application/json" } });
    assert.equal((await json.json()).error.code, "TND_ERR_NOT_FOUND");
  });

  test("redirect() while rendering answers 307", async () => {
    const response = await app().fetch("/go");
    assert.equal(response.status, 307);
    assert.equal(response.headers.get("location"), `${await app().origin()}/posts/7`);
  });

  test("error.tsx shows a page error with 500; only dev shows the message", async () => {
    const response = await app().fetch("/boom");
    assert.equal(response.status, 500);
    const html = await response.text();
    assert.match(html, /<div id="error-view">/);
    if (mode === "dev") assert.match(html, /database is down/);
    else assert.doesNotMatch(html, /database is down/);
  });

  test("every document: charset, viewport (default, then viewport/generateViewport), icon links", async () => {
    const home = await (await app().fetch("/")).text();
    const head = home.slice(0, home.indexOf("</head>"));
    assert.match(
      head,
      /^<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"\/><meta name="viewport" content="width=device-width, initial-scale=1"\/>/,
    );
    assert.match(head, /<meta name="theme-color" content="#101010" media="\(prefers-color-scheme: dark\)"\/>/);
    assert.doesNotMatch(head, /color-scheme"/);
    const icon = /<link rel="icon" href="(\/icon\.svg\?[0-9a-f]{16})" type="image\/svg\+xml" sizes="any"\/>/.exec(head)?.[1];
    const apple = /<link rel="apple-touch-icon" href="(\/apple-icon\.png\?[0-9a-f]{16})" type="image\/png" sizes="180x180"\/>/.exec(
      head,
    )?.[1];
    assert.ok(icon && apple, head);
    const post = await (await app().fetch("/posts/9")).text();
    assert.match(post, /<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1"\/>/);
    assert.match(post, /<meta name="color-scheme" content="dark"\/>/);
    const missing = await (await app().fetch("/no/such/page", { headers: { accept: "text/html" } })).text();
    assert.match(missing, /<meta charSet="utf-8"\/><meta name="viewport" content="width=device-width, initial-scale=1"\/>/);
    assert.match(missing, /<link rel="icon" href="\/icon\.svg\?/);

    const svg = await app().fetch(icon);
    assert.equal(svg.headers.get("content-type"), "image/svg+xml");
    assert.match(await svg.text(), /^<svg /);
    const png = await app().fetch(apple);
    assert.equal(png.headers.get("content-type"), "image/png");
    const etag = png.headers.get("etag")!;
    assert.deepEqual([...new Uint8Array(await png.arrayBuffer()).subarray(1, 4)], [0x50, 0x4e, 0x47]);
    assert.equal((await app().fetch("/apple-icon.png", { headers: { "if-none-match": etag } })).status, 304);
  });

  test("/favicon.ico when the app has none: a plain 404, not a page", async () => {
    const accept = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";
    for (const headers of [{ accept }, { accept: "text/html" }]) {
      const response = await app().fetch("/favicon.ico", { headers });
      assert.equal(response.status, 404);
      assert.equal(response.headers.get("content-type"), "text/plain; charset=utf-8");
      assert.equal(await response.text(), "Not Found");
    }
    assert.doesNotMatch(app().output(), /favicon/);
  });

  test("sitemap.xml and robots.txt", async () => {
    assert.match(await (await app().fetch("/sitemap.xml")).text(), /<loc>https:\/\/fixture.example\/<\/loc>/);
    assert.match(await (await app().fetch("/robots.txt")).text(), /^User-Agent: \*/);
  });

  test("route handlers run inside the request context: cookies() reads and sets", async () => {
    const response = await app().fetch("/api/whoami", { method: "POST", headers: { cookie: "visits=4" } });
    assert.deepEqual(await response.json(), { before: "4" });
    assert.equal(response.headers.get("set-cookie"), "visits=5; Path=/; HttpOnly; SameSite=Lax");
  });

  test("Server Actions: called from JavaScript, posted without it, refused cross-site or unknown", async () => {
    const origin = await app().origin();
    const html = await (await app().fetch("/form")).text();
    const id = /name="\$ACTION_ID_([^"]+)"/.exec(html)?.[1];
    assert.ok(id, "the form carries its action id");
    const call = (actionId: string, from: string) =>
      app().fetch("/form", {
        method: "POST",
        body: '["hi"]',
        headers: { "x-tandem-action": actionId, "x-tandem-rsc": "1", origin: from, "content-type": "text/plain" },
      });
    const ok = await call(id.replace(/#addItem$/, "#echo"), origin);
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /"returnValue":\{"ok":true,"data":"hi"\}/);
    assert.equal((await call(id, "https://evil.example")).status, 403);
    assert.equal((await call("nope#nope", origin)).status, 404);

    const form = new FormData();
    form.set(`$ACTION_ID_${id}`, "");
    form.set("text", `posted without js (${mode})`);
    form.set("then", "home");
    const posted = await app().fetch("/form", { method: "POST", body: form, headers: { origin } });
    assert.equal(posted.status, 303);
    assert.equal(posted.headers.get("location"), `${origin}/`);
    assert.match(await (await app().fetch("/form")).text(), new RegExp(`<li>posted without js \\(${mode}\\)</li>`));
  });
});
