// The fixture site built with tandemPages() and served by a real listening server; HTTP only.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildAndServe, type Site } from "./harness.js";

let site: Site;
let addItemId: string;
let echoId: string;

before(async () => {
  site = await buildAndServe();
  const html = await (await fetch(`${site.url}/form`)).text();
  const m = /name="\$ACTION_ID_([^"]+)"/.exec(html);
  assert.ok(m, "the no-JS form carries its action id");
  addItemId = m[1]!;
  echoId = addItemId.replace(/#addItem$/, "#echo");
});
after(() => site?.close());

function callAction(id: string, body: BodyInit, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${site.url}/`, {
    method: "POST",
    headers: { "x-tandem-action": id, "x-tandem-rsc": "1", origin: site.url, "content-type": "text/plain;charset=UTF-8", ...headers },
    body,
  });
}

describe("rendering", () => {
  test("SSR HTML has the content, the client component's first render and metadata", async () => {
    const res = await fetch(`${site.url}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /^text\/html/);
    const html = await res.text();
    assert.match(html, /<h1>Server rendered home<\/h1>/);
    assert.match(html, /<button type="button" id="counter">Count: <!-- -->3<\/button>/);
    assert.match(html, /<head>.*<title>Home \| Fixture Site<\/title>/s);
    assert.match(html, /<meta name="description" content="The home page of the fixture."\/>/);
    assert.match(html, /<link rel="canonical" href="https:\/\/fixture.example\/"\/>/);
    assert.match(html, /<meta property="og:title" content="Fixture home"\/>/);
    assert.match(html, /<meta property="og:image" content="https:\/\/fixture.example\/og.png"\/>/);
    assert.match(html, /<meta name="twitter:card" content="summary_large_image"\/>/);
    assert.match(html, /<script type="module"|import\("\/assets\/index-[\w-]+\.js"\)/);
  });

  test("CSS imported by a layout is linked from the document and served", async () => {
    const html = await (await fetch(`${site.url}/`)).text();
    const href = /<link rel="stylesheet"[^>]* href="([^"]+\.css)"/.exec(html)?.[1];
    assert.ok(href, "a stylesheet link in the HTML");
    const css = await fetch(new URL(href, site.url));
    assert.equal(css.status, 200);
    assert.match(await css.text(), /text-decoration:\s*line-through/);
  });

  test("server function references never stringify to their source", async () => {
    const html = await (await fetch(`${site.url}/`)).text();
    const text = /<p id="action-ref">(.*?)<\/p>/.exec(html)?.[1] ?? "";
    assert.doesNotMatch(text, /items\.push|formData/);
  });

  test("params and searchParams arrive as promises; cookies() and headers() read the request", async () => {
    const html = await (await fetch(`${site.url}/posts/42?tab=comments`, { headers: { cookie: "session=abc" } })).text();
    assert.match(html, /<section id="posts-template"><article><h1 id="post">Post <!-- -->42<\/h1>/);
    assert.match(html, /tab=<!-- -->comments/);
    assert.match(html, /session=<!-- -->abc/);
    assert.match(html, /<title>Post 42 \| Fixture Site<\/title>/);
    assert.match(html, /<link rel="canonical" href="https:\/\/fixture.example\/posts\/42"\/>/);
  });

  test("notFound() and unknown URLs render not-found.tsx with status 404", async () => {
    for (const path of ["/missing", "/no/such/page"]) {
      const res = await fetch(site.url + path);
      assert.equal(res.status, 404, path);
      const html = await res.text();
      assert.match(html, /<h1 id="not-found">Nothing here<\/h1>/);
      assert.match(html, /<meta name="robots" content="noindex"\/>/);
    }
  });

  test("redirect() while rendering answers 307 with the resolved Location", async () => {
    const res = await fetch(`${site.url}/go`, { redirect: "manual" });
    assert.equal(res.status, 307);
    assert.equal(res.headers.get("location"), `${site.url}/posts/7`);
  });

  test("a page error is shown by its segment's error.tsx, with status 500 and no message in production", async () => {
    const res = await fetch(`${site.url}/boom`);
    assert.equal(res.status, 500);
    const html = await res.text();
    assert.match(html, /<div id="error-view">/);
    assert.doesNotMatch(html, /database is down/);
  });

  test("a page error with no error.tsx answers a 500 page without details in production", async () => {
    const res = await fetch(`${site.url}/crash`);
    assert.equal(res.status, 500);
    const html = await res.text();
    assert.match(html, /TND_ERR_PAGES_RENDER_FAILED/);
    assert.doesNotMatch(html, /unhandled crash/);
  });

  test("HEAD has no body, other methods get 405, RSC requests get the Flight payload", async () => {
    const head = await fetch(`${site.url}/`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), "");
    const put = await fetch(`${site.url}/`, { method: "PUT" });
    assert.equal(put.status, 405);
    assert.equal(put.headers.get("allow"), "GET, HEAD, POST");
    const rsc = await fetch(`${site.url}/posts/1`, { headers: { "x-tandem-rsc": "1" } });
    assert.match(rsc.headers.get("content-type")!, /^text\/x-component/);
    assert.match(await rsc.text(), /"Post ","1"/);
  });

  test("loading.tsx is sent before the slow page data", async () => {
    const started = performance.now();
    const res = await fetch(`${site.url}/stream`);
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const firstAt = performance.now() - started;
    assert.match(first, /<p id="loading">Loading data…<\/p>/);
    assert.doesNotMatch(first, /Slow data arrived/);
    assert.ok(firstAt < 1000, `first chunk after ${Math.round(firstAt)} ms`);
    let rest = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    assert.match(rest, /<p id="data">Slow data arrived<\/p>/);
  });
});

describe("static pages", () => {
  test("force-static pages and generateStaticParams paths are prerendered at build and served from disk", async () => {
    const first = await fetch(`${site.url}/about`);
    assert.equal(first.headers.get("x-tandem-static"), "1");
    const html = await first.text();
    assert.match(html, /<title>About \| Fixture Site<\/title>/);
    assert.equal(await (await fetch(`${site.url}/about`)).text(), html, "the same bytes every time");
    for (const slug of ["intro", "setup"]) {
      const res = await fetch(`${site.url}/docs/${slug}`);
      assert.equal(res.headers.get("x-tandem-static"), "1");
      assert.match(await res.text(), new RegExp(`Doc <!-- -->${slug}`));
    }
    const rsc = await fetch(`${site.url}/about`, { headers: { "x-tandem-rsc": "1" } });
    assert.match(rsc.headers.get("content-type")!, /^text\/x-component/);
    assert.match(await rsc.text(), /built at/);
    const dynamic = await fetch(`${site.url}/docs/other`);
    assert.equal(dynamic.status, 200);
    assert.equal(dynamic.headers.get("x-tandem-static"), null);
    await dynamic.body?.cancel();
  });
});

describe("metadata routes", () => {
  test("/sitemap.xml is a valid sitemap with escaped URLs", async () => {
    const res = await fetch(`${site.url}/sitemap.xml`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /^application\/xml/);
    const xml = await res.text();
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/);
    const urls = [...xml.matchAll(/<url>\n<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    assert.deepEqual(urls, ["https://fixture.example/", "https://fixture.example/posts/42?a=1&amp;b=2"]);
    assert.match(xml, /<lastmod>2026-01-02T00:00:00.000Z<\/lastmod>/);
    assert.match(xml, /<\/urlset>\n$/);
    assert.doesNotMatch(xml.replace(/&(amp|lt|gt|quot|apos);/g, ""), /&/);
  });

  test("/robots.txt", async () => {
    const text = await (await fetch(`${site.url}/robots.txt`)).text();
    assert.equal(text, "User-Agent: *\nAllow: /\nDisallow: /private/\n\nSitemap: https://fixture.example/sitemap.xml\n");
  });
});

describe("server actions over HTTP", () => {
  test("a call returns the result and the refreshed page in one response", async () => {
    const res = await callAction(echoId, JSON.stringify(["hello"]));
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /^text\/x-component/);
    const body = await res.text();
    assert.match(body, /"returnValue":\{"ok":true,"data":"hello"\}/);
    assert.match(body, /Server rendered home/);
  });

  test("a form post without JavaScript runs the action and redirect() answers 303", async () => {
    const form = new FormData();
    form.set(`$ACTION_ID_${addItemId}`, "");
    form.set("text", "posted without js");
    form.set("then", "home");
    const res = await fetch(`${site.url}/form`, { method: "POST", body: form, headers: { origin: site.url }, redirect: "manual" });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), `${site.url}/`);
    assert.match(await (await fetch(`${site.url}/form`)).text(), /<li>posted without js<\/li>/);
  });

  test("wrong Origin is 403, cross-site without Origin is 403, same-site without Origin passes", async () => {
    const evil = await callAction(echoId, "[1]", { origin: "https://evil.example" });
    assert.equal(evil.status, 403);
    assert.equal((await evil.json()).error.code, "TND_ERR_ACTION_FORBIDDEN_ORIGIN");
    const form = new FormData();
    form.set(`$ACTION_ID_${addItemId}`, "");
    const evilForm = await fetch(`${site.url}/form`, { method: "POST", body: form, headers: { origin: "null" } });
    assert.equal(evilForm.status, 403);
    const crossSite = await fetch(`${site.url}/`, {
      method: "POST",
      body: "[1]",
      headers: { "x-tandem-action": echoId, "sec-fetch-site": "cross-site", "content-type": "text/plain" },
    });
    assert.equal(crossSite.status, 403);
    assert.equal((await crossSite.json()).error.code, "TND_ERR_ACTION_CROSS_SITE");
    const sameSite = await fetch(`${site.url}/`, {
      method: "POST",
      body: "[1]",
      headers: { "x-tandem-action": echoId, "x-tandem-rsc": "1", "sec-fetch-site": "same-origin", "content-type": "text/plain" },
    });
    assert.equal(sameSite.status, 200);
    await sameSite.body?.cancel();
  });

  test("actions are POST only", async () => {
    const res = await fetch(`${site.url}/`, { headers: { "x-tandem-action": echoId } });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get("allow"), "POST");
  });

  test("unknown action ids are 404 before the body is decoded", async () => {
    for (const id of [
      "deadbeef#nope",
      echoId.replace("#echo", "#missingExport"),
      "../../etc/passwd#x",
      "__proto__#then",
      "constructor#constructor",
      "x".repeat(2000),
    ]) {
      const res = await callAction(id, "$1:__proto__:then not even json");
      assert.equal(res.status, 404, id.slice(0, 40));
      assert.equal((await res.json()).error.code, "TND_ERR_ACTION_NOT_FOUND");
    }
    const form = new FormData();
    form.set("$ACTION_ID_deadbeef#nope", "");
    const res = await fetch(`${site.url}/form`, { method: "POST", body: form, headers: { origin: site.url } });
    assert.equal(res.status, 404);
  });

  test("bodies over 1 MiB are 413, declared or streamed", async () => {
    const big = "[" + JSON.stringify("x".repeat(1024 * 1024)) + "]";
    const declared = await callAction(echoId, big);
    assert.equal(declared.status, 413);
    const chunks = [new TextEncoder().encode(big)];
    const stream = new ReadableStream({
      pull(c) {
        const next = chunks.shift();
        if (next) c.enqueue(next);
        else c.close();
      },
    });
    const streamed = await fetch(`${site.url}/`, {
      method: "POST",
      body: stream,
      duplex: "half",
      headers: { "x-tandem-action": echoId, origin: site.url, "content-type": "text/plain" },
    } as RequestInit);
    assert.equal(streamed.status, 413);
  });

  test("malformed payloads are refused fast with 400 and the server keeps serving", async () => {
    const multipart = (fields: Record<string, string>): FormData => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      return form;
    };
    const deep = "[".repeat(5000) + "]".repeat(5000);
    const corpus: Array<[string, BodyInit]> = [
      ["proto path", JSON.stringify(["$1:__proto__:then"])],
      ["constructor path", JSON.stringify(["$0:constructor:constructor"])],
      [
        "React2Shell",
        multipart({
          0: JSON.stringify({
            then: "$1:__proto__:then",
            status: "resolved_model",
            reason: -1,
            value: '{"then":"$B1337"}',
            _response: { _prefix: "process.exit(1)//", _formData: { get: "$1:constructor:constructor" } },
          }),
          1: '"$@0"',
        }),
      ],
      ["cycle", multipart({ 0: '["$1"]', 1: '["$2"]', 2: '["$1"]' })],
      ["self promise", multipart({ 0: '["$@0"]' })],
      ["dangling", JSON.stringify(["$5"])],
      ["deep", deep],
      ["wide", JSON.stringify([Array.from({ length: 30_000 }, (_, i) => i)])],
      ["not json", "[1,"],
      ["__proto__ key", '[{"__proto__":{"polluted":true}}]'],
      ["unknown ref type", JSON.stringify(["$Y1"])],
      ["unknown server ref", multipart({ 0: '["$h1"]', 1: JSON.stringify({ id: "nope#x", bound: null }) })],
      ["not an argument list", JSON.stringify({ a: 1 })],
    ];
    for (const [name, body] of corpus) {
      const started = performance.now();
      const headers: Record<string, string> = body instanceof FormData ? { "content-type": "" } : {};
      const init: Record<string, string> = { ...headers };
      if (body instanceof FormData) delete init["content-type"];
      const res = await fetch(`${site.url}/`, {
        method: "POST",
        body,
        headers: {
          "x-tandem-action": echoId,
          "x-tandem-rsc": "1",
          origin: site.url,
          ...(body instanceof FormData ? {} : { "content-type": "text/plain" }),
        },
      });
      const ms = performance.now() - started;
      assert.equal(res.status, 400, `${name}: ${res.status}`);
      assert.equal((await res.json()).error.code, "TND_ERR_ACTION_BAD_PAYLOAD", name);
      // Refused in milliseconds on an idle machine; the bound only has to catch super-linear work
      // (a 30,000-element list parsed slowly), and CI machines run the whole suite in parallel.
      assert.ok(ms < 2000, `${name} took ${Math.round(ms)} ms`);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const alive = await fetch(`${site.url}/`);
    assert.equal(alive.status, 200);
    await alive.body?.cancel();
  });

  test("bound arguments of a no-JS form action go through the same guard", async () => {
    const signupId = addItemId.replace(/#addItem$/, "#signup");
    for (const bound of ['["$1:__proto__:then"]', '["$2"]']) {
      const form = new FormData();
      form.set("$ACTION_REF_1", "");
      form.set("$ACTION_1:0", JSON.stringify({ id: signupId, bound: "$@1" }));
      form.set("$ACTION_1:1", bound);
      form.set("name", "x");
      const res = await fetch(`${site.url}/signup`, { method: "POST", body: form, headers: { origin: site.url } });
      assert.equal(res.status, 400, bound);
      assert.equal((await res.json()).error.code, "TND_ERR_ACTION_BAD_PAYLOAD");
    }
  });

  test("an unsupported body type is 415", async () => {
    const res = await callAction(echoId, "[1]", { "content-type": "application/json" });
    assert.equal(res.status, 415);
  });
});
