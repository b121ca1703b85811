// Pages through the real CLI: `tandem build` + `tandem start` (production) and `tandem dev`.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";
import { runCli, startCli, type StartedServer } from "../support/cli.js";
import { createProject } from "../support/project.js";
import { CHROMIUM, CHROMIUM_ARGS, needChromium } from "tandem-test-support/services";

const files = {
  "app/layout.tsx": `import type { ReactNode } from "react";
export const metadata = { title: { default: "Shop", template: "%s · Shop" }, description: "A test shop" };
export default function Layout({ children }: { children: ReactNode }) {
  return <html lang="en"><body><nav>shop nav</nav>{children}</body></html>;
}\n`,
  "app/page.tsx": `import { cookies } from "tandem/server";
import { Counter } from "./counter";
export default async function Home() {
  const jar = await cookies();
  return <main><h1>Welcome</h1><p id="who">{jar.get("who")?.value ?? "anonymous"}</p><Counter /></main>;
}\n`,
  "app/counter.tsx": `"use client";
import { useState } from "react";
export function Counter() {
  const [n, setN] = useState(0);
  return <button id="count" onClick={() => setN(n + 1)}>count {n}</button>;
}\n`,
  "app/items/[id]/page.tsx": `import { notFound } from "tandem/server";
export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  return { title: "Item " + (await params).id };
}
export default async function Item({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (id === "0") notFound();
  return <h1 id="item">Item {id}</h1>;
}\n`,
  "app/api/ping/route.ts": `export const GET = () => Response.json({ pong: true });\n`,
  "app/sitemap.ts": `export default function sitemap() { return [{ url: "https://shop.example/" }]; }\n`,
};

const project = createProject(files);
after(() => project.remove());

describe("pages with tandem build + start", () => {
  let server: StartedServer;
  before(async () => {
    const build = await runCli(["build", project.root]);
    assert.equal(build.code, 0, build.stderr);
    server = await startCli(["start", project.root, "--port", "0", "--host", "127.0.0.1"]);
  });
  after(() => server?.stop());

  test("full HTML on the server, with metadata and request cookies", async () => {
    const html = await (await fetch(`${server.url}/`, { headers: { cookie: "who=ann" } })).text();
    assert.match(html, /<h1>Welcome<\/h1>/);
    assert.match(html, /<p id="who">ann<\/p>/);
    assert.match(html, /<title>Shop<\/title>/);
    assert.match(html, /<meta name="description" content="A test shop"\/>/);
    assert.doesNotMatch(html, /class URL|\$E/, "production payloads carry no function source");
    const item = await (await fetch(`${server.url}/items/7`)).text();
    assert.match(item, /<title>Item 7 · Shop<\/title>/);
  });

  test("notFound() is a real 404; route handlers and sitemap.xml sit beside pages", async () => {
    assert.equal((await fetch(`${server.url}/items/0`)).status, 404);
    assert.deepEqual(await (await fetch(`${server.url}/api/ping`)).json(), { pong: true });
    const sitemap = await fetch(`${server.url}/sitemap.xml`);
    assert.match(sitemap.headers.get("content-type")!, /xml/);
    assert.match(await sitemap.text(), /<loc>https:\/\/shop\.example\/<\/loc>/);
  });

  test("hashed client assets are cached for a year", async () => {
    const html = await (await fetch(`${server.url}/`)).text();
    const asset = /\/assets\/[\w.-]+\.js/.exec(html)?.[0];
    assert.ok(asset, "the page references its client bundle");
    const res = await fetch(server.url + asset);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
  });

  test("the client component hydrates in Chromium", async (t) => {
    if (!(await needChromium(t))) return;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    t.after(() => browser.close());
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => Object.keys(document.getElementById("count") ?? {}).some((k) => k.startsWith("__react")));
    await page.click("#count");
    await page.click("#count");
    assert.equal(await page.textContent("#count"), "count 2");
  });
});

describe("pages with tandem dev", () => {
  test("renders pages and reloads an edited Server Component", async () => {
    const dev = createProject(files);
    const server = await startCli(["dev", dev.root, "--port", "0", "--host", "127.0.0.1"]);
    try {
      assert.match(await (await fetch(`${server.url}/items/3`)).text(), /Item <!-- -->3/);
      dev.write(
        "app/items/[id]/page.tsx",
        files["app/items/[id]/page.tsx"].replace('<h1 id="item">Item {id}</h1>', '<h1 id="item">Article {id}</h1>'),
      );
      const deadline = Date.now() + 15_000;
      let html = "";
      while (Date.now() < deadline && !/Article <!-- -->3/.test(html)) {
        html = await (await fetch(`${server.url}/items/3`)).text();
        await new Promise((r) => setTimeout(r, 150));
      }
      assert.match(html, /Article <!-- -->3/);
    } finally {
      await server.stop();
      dev.remove();
    }
  });
});

describe("a form posting a bound Server Action without JavaScript", () => {
  // Regression: React's server renderer looped forever (CPU pinned, process deaf to SIGTERM) on
  // the form state of useActionState(action.bind(...)); a client could trigger it by posting.
  test("is answered, and the action runs once", async () => {
    const bound = createProject({
      "app/layout.tsx": `import type { ReactNode } from "react";
export default function Layout({ children }: { children: ReactNode }) { return <html><body>{children}</body></html>; }\n`,
      "app/store.ts": `export const calls: string[] = [];\n`,
      "app/actions.ts": `"use server";
import { calls } from "./store";
export async function add(id: string, _state: { n?: number }, _form: FormData) { calls.push(id); return { n: calls.length }; }
export async function count() { return calls.length; }\n`,
      "app/form.tsx": `"use client";
import { useActionState } from "react";
import { add } from "./actions";
export function Form({ id }: { id: string }) {
  const [state, action] = useActionState(add.bind(null, id), {});
  return <form action={action}><p id="n">{state.n ?? "-"}</p><button>go</button></form>;
}\n`,
      "app/page.tsx": `import { Form } from "./form";
import { count } from "./actions";
export default async function Page() { return <main><p id="calls">calls {await count()}</p><Form id="abc" /></main>; }\n`,
    });
    try {
      const build = await runCli(["build", bound.root]);
      assert.equal(build.code, 0, build.stderr);
      const server = await startCli(["start", bound.root, "--port", "0", "--host", "127.0.0.1"]);
      try {
        const html = await (await fetch(`${server.url}/`)).text();
        const form = new FormData();
        for (const m of html.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?/g))
          form.set(m[1]!, (m[2] ?? "").replaceAll("&quot;", '"'));
        assert.ok(
          [...form.keys()].some((k) => k.startsWith("$ACTION_REF_")),
          "the form carries a bound action",
        );
        const res = await fetch(`${server.url}/`, {
          method: "POST",
          body: form,
          headers: { origin: server.url },
          signal: AbortSignal.timeout(10_000),
        });
        assert.equal(res.status, 200);
        assert.match(await res.text(), /calls <!-- -->1/);
      } finally {
        assert.equal(await server.stop("SIGTERM"), 0, "the server still shuts down");
      }
    } finally {
      bound.remove();
    }
  });
});
