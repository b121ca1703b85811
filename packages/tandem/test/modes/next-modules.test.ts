// next/headers, next/navigation, next/link, next/script, next/cache and next/dynamic in every mode,
// imported by the app's own files and by a package in its node_modules, and the build error for
// a next/* module or export Tandem does not provide.
import assert from "node:assert/strict";
import { after, test, type TestContext } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { NEXT_APP } from "../next/next-app.js";
import { runCli } from "../support/cli.js";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";
import { CHROMIUM, CHROMIUM_ARGS, needChromium } from "tandem-test-support/services";

const project = createProject(NEXT_APP);
// Without pages: route handlers still get next/headers' request context.
const apiOnly = createProject({
  "app/api/me/route.ts": `import { cookies, headers } from "next/headers";

export async function POST() {
  const jar = await cookies();
  jar.set("seen", "yes", { httpOnly: false });
  return Response.json({ user: jar.get("user")?.value, agent: (await headers()).get("x-agent") });
}
`,
});
let browser: Browser | undefined;
after(async () => {
  await browser?.close();
  project.remove();
  apiOnly.remove();
});

describeModes("next/headers in an app without pages", apiOnly.root, (app) => {
  test("cookies() and headers() in a route handler", async () => {
    const response = await app().fetch("/api/me", { method: "POST", headers: { cookie: "user=ada", "x-agent": "curl" } });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { user: "ada", agent: "curl" });
    assert.match(response.headers.get("set-cookie") ?? "", /^seen=yes; Path=\/; SameSite=Lax$/);
  });
});

const text = (html: string, id: string): string | undefined =>
  new RegExp(`id="${id}"[^>]*>(.*?)</`).exec(html)?.[1]?.replaceAll("<!-- -->", "");

describeModes("next/* modules", project.root, (app) => {
  test("next/headers and the navigation hooks in the server HTML", async () => {
    const response = await app().fetch("/items/42?tab=b", { headers: { cookie: "who=bob", "x-agent": "curl" } });
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.match(text(html, "server") ?? "", /^bob\|curl\|false\|\d+$/);
    assert.equal(text(html, "where"), "/items/42|b|42");
    // The root layout's useSelectedLayoutSegment(s), and the node_modules package's Link + usePathname.
    assert.equal(text(html, "segment"), "items|items/42");
    assert.match(html, /<a id="nav-home" data-active="false" href="\/">Home<\/a>/);
    assert.match(await (await app().fetch("/")).text(), /<a id="nav-home" data-active="true" href="\/">Home<\/a>/);
  });

  test("next/link renders an <a> with the href formatted from a URL object", async () => {
    const html = await (await app().fetch("/")).text();
    assert.match(html, /<a id="to-7" href="\/items\/7\?tab=a">Item 7<\/a>/);
    assert.match(html, /<a id="to-8" href="\/items\/8">Item 8<\/a>/);
  });

  test("notFound, redirect, permanentRedirect, forbidden and unauthorized in a page", async () => {
    assert.equal((await app().fetch("/items/0")).status, 404);
    const moved = await app().fetch("/items/old");
    assert.equal(moved.status, 307);
    assert.equal(moved.headers.get("location"), `${await app().origin()}/items/1`);
    assert.equal((await app().fetch("/items/older")).status, 308);
    const forbidden = await app().fetch("/items/secret");
    assert.equal(forbidden.status, 403);
    assert.match(await forbidden.text(), /This page could not be accessed/);
    assert.equal((await app().fetch("/items/private")).status, 401);
  });

  test("a route handler: cookies() writes, headers() reads, control functions answer as in Next.js", async () => {
    const response = await app().fetch("/api/session", { headers: { "x-agent": "curl" } });
    assert.deepEqual(await response.json(), { agent: "curl", had: true });
    assert.match(response.headers.get("set-cookie") ?? "", /^who=ada; Path=\/; HttpOnly; SameSite=Lax$/);
    const missing = await app().fetch("/api/session?missing");
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
    const away = await app().fetch("/api/session?away");
    assert.equal(away.status, 307);
    assert.equal(away.headers.get("location"), `${await app().origin()}/items/1`);
    const denied = await app().fetch("/api/session?deny");
    assert.equal(denied.status, 403);
    await denied.body?.cancel();
  });

  test("draftMode(): enabled by the cookie this server set, not by one a client makes up", async () => {
    const on = await app().fetch("/api/session?draft");
    const cookie = /^(__prerender_bypass=[^;]+)/.exec(on.headers.get("set-cookie") ?? "")?.[1];
    assert.ok(cookie, "the route handler set the draft cookie");
    await on.body?.cancel();
    const drafted = await (await app().fetch("/items/1", { headers: { cookie } })).text();
    assert.match(text(drafted, "server") ?? "", /\|true\|/);
    const forged = await (await app().fetch("/items/1", { headers: { cookie: "__prerender_bypass=1" } })).text();
    assert.match(text(forged, "server") ?? "", /\|false\|/);
  });

  test("next/cache calls through, next/dynamic streams the loaded component", async () => {
    const html = await (await app().fetch("/later")).text();
    assert.equal(text(html, "cache"), "42|42|called-through");
    assert.match(html, /<p id="heavy">heavy one<\/p>/);
  });

  test("in Chromium: Link and useRouter navigate on the client, scripts load once", async (t) => {
    const page = await open(t, `${await app().url()}/`);
    if (page === undefined) return;
    const documents: string[] = [];
    page.on("request", (request) => {
      if (request.resourceType() === "document") documents.push(new URL(request.url()).pathname);
    });
    const fetches: string[] = [];
    page.on("response", (response) => {
      if (response.request().resourceType() === "fetch")
        fetches.push(`${response.status()} ${response.headers()["content-type"]} ${response.url()}`);
    });
    await page.click("#to-7");
    await page.waitForFunction(() => document.querySelector("#where")?.textContent === "/items/7|a|7");
    assert.equal(await page.textContent("#segment"), "items|items/7");
    assert.equal(await page.getAttribute("#nav-home", "data-active"), "false");
    await page.click("#home");
    await page.waitForSelector("#push");
    await page.click("#to-8"); // replace: the home entry is gone from history
    await page.waitForFunction(() => document.querySelector("#where")?.textContent === "/items/8|-|8");
    await page.goBack();
    await page.waitForFunction(() => document.querySelector("#where")?.textContent === "/items/7|a|7");
    await page.click("#nav-home");
    await page.click("#cancelled"); // its onClick calls preventDefault(): no navigation, no history entry
    await page.click("#push");
    await page.waitForFunction(() => document.querySelector("#where")?.textContent === "/items/9|c|9");
    assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, "/items/9?tab=c");
    await page.goBack();
    await page.waitForSelector("#back");
    assert.equal(new URL(page.url()).pathname, "/");
    await page.click("#back");
    await page.waitForFunction(() => document.querySelector("#where")?.textContent === "/items/7|a|7");
    assert.deepEqual(documents, [], `no document load\n${fetches.join("\n")}\n${app().output().slice(-3000)}`);

    await page.goto(`${await app().url()}/later`);
    await page.waitForFunction(
      () => (window as { __external?: number }).__external === 1 && (window as { __inline?: number }).__inline === 1,
    );
    await page.click("#nav-home");
    await page.waitForSelector("#push");
    await page.goBack();
    await page.waitForSelector("#cache");
    assert.deepEqual(
      await page.evaluate(() => [(window as { __external?: number }).__external, (window as { __inline?: number }).__inline]),
      [1, 1],
    );
  });
});

async function open(t: TestContext, url: string): Promise<Page | undefined> {
  if (!(await needChromium(t))) return undefined;
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    // A failed request is checked below by its URL (the browser's own /favicon.ico may 404).
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) errors.push(message.text());
  });
  page.on("response", (response) => {
    if (response.status() >= 400 && new URL(response.url()).pathname !== "/favicon.ico")
      errors.push(`${response.status()} ${response.url()}`);
  });
  t.after(() => assert.deepEqual(errors, [], "no page errors"));
  await page.goto(url);
  await page.waitForFunction(() => Object.keys(document).some((key) => key.startsWith("__reactContainer")));
  return page;
}

test("a next/* module or export Tandem does not provide stops the build and names it", async () => {
  const cases = [
    { file: `import Head from "next/head";\nexport const GET = () => new Response(String(Head));\n`, names: /"next\/head"/ },
    {
      file: `import { connection } from "next/server";\nexport const GET = () => new Response(String(connection));\n`,
      names: /\{ connection \} from "next\/server"/,
    },
  ];
  for (const { file, names } of cases) {
    const broken = createProject({ "app/api/x/route.ts": file });
    try {
      const result = await runCli(["build"], { cwd: broken.root });
      assert.notEqual(result.code, 0);
      const output = result.stdout + result.stderr;
      assert.match(output, names);
      assert.match(output, /TND_ERR_NEXT_UNSUPPORTED/);
      assert.match(output, /app\/api\/x\/route\.ts/);
    } finally {
      broken.remove();
    }
  }
});
