// The fixture site in real Chromium: hydration, actions with and without JavaScript, streaming.
import assert from "node:assert/strict";
import { after, before, describe, test, type TestContext } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, needChromium } from "tandem-test-support/services";
import { buildAndServe, type Site } from "./harness.js";

let site: Site | undefined;
let browser: Browser | undefined;

before(async () => {
  site = await buildAndServe();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

async function open(t: TestContext, path: string, options: { js?: boolean } = {}): Promise<Page | undefined> {
  if (!(await needChromium(t))) return undefined;
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const context = await browser.newContext({ javaScriptEnabled: options.js ?? true });
  t.after(() => context.close());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  t.after(() =>
    assert.deepEqual(
      errors.filter((e) => !e.includes("database is down") || e.includes("late crash") || e.includes("Server Components render")),
      [],
      "no uncaught page errors",
    ),
  );
  await page.goto(site!.url + path);
  return page;
}

async function hydrated(page: Page): Promise<void> {
  // The browser entry registers the server callback and hydrates; React marks the root container.
  await page.waitForFunction(() => Object.keys(document).some((key) => key.startsWith("__reactContainer")));
}

describe("pages in Chromium", () => {
  test("SSR HTML shows the content with JavaScript disabled", async (t) => {
    const page = await open(t, "/", { js: false });
    if (page === undefined) return;
    assert.equal(await page.textContent("h1"), "Server rendered home");
    assert.equal(await page.textContent("#counter"), "Count: 3");
    assert.equal(await page.title(), "Home | Fixture Site");
  });

  test("hydration: a click updates a client component", async (t) => {
    const page = await open(t, "/");
    if (page === undefined) return;
    await hydrated(page);
    await page.click("#counter");
    await page.waitForFunction(() => document.querySelector("#counter")?.textContent === "Count: 4");
  });

  test("an action form works with JavaScript disabled", async (t) => {
    const page = await open(t, "/form", { js: false });
    if (page === undefined) return;
    await page.fill("input[name=text]", "no-js item");
    await Promise.all([page.waitForURL(`${site!.url}/form`), page.click("#add")]);
    assert.ok((await page.textContent("#items"))!.includes("no-js item"));
  });

  test("an action form works with JavaScript, in one round trip and without a reload", async (t) => {
    const page = await open(t, "/form");
    if (page === undefined) return;
    await hydrated(page);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    const posts: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST") posts.push(r.url());
    });
    await page.fill("input[name=text]", "js item");
    await page.click("#add");
    await page.waitForFunction(() => document.querySelector("#items")?.textContent?.includes("js item"));
    assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 1, "no full reload");
    assert.equal(posts.length, 1);
  });

  test("useActionState shows validation errors, with and without JavaScript, and sets a cookie", async (t) => {
    for (const js of [true, false]) {
      const page = await open(t, "/signup", { js });
      if (page === undefined) return;
      if (js) await hydrated(page);
      await page.fill("input[name=name]", "a1");
      await page.click("#signup");
      await page.waitForSelector("#errors li");
      const errors = await page.$$eval("#errors li", (items) => items.map((li) => li.textContent));
      assert.deepEqual(errors, ["Name must be at least 3 characters.", "Name must contain letters only."], `js=${js}`);
      assert.equal(await page.inputValue("input[name=name]"), "a1");
      await page.fill("input[name=name]", js ? "alice" : "bob");
      await page.click("#signup");
      await page.waitForSelector("#welcome");
      await page.goto(`${site!.url}/posts/1`);
      assert.equal(await page.textContent("#session"), `session=user:${js ? "alice" : "bob"}`);
    }
  });

  test("two slow actions fired together finish in about the time of one", async (t) => {
    const page = await open(t, "/parallel");
    if (page === undefined) return;
    await hydrated(page);
    await page.click("#race");
    await page.waitForFunction(() => document.querySelector("#race-result")?.textContent?.includes("done"));
    const text = (await page.textContent("#race-result"))!;
    const ms = Number(/in (\d+)ms/.exec(text)?.[1]);
    assert.match(text, /^a done,b done/);
    assert.ok(ms >= 700 && ms < 1200, `two 700 ms actions took ${ms} ms`);
  });

  test("streaming shows the loading.tsx fallback before the data", async (t) => {
    if (!(await needChromium(t))) return;
    const page = await open(t, "/");
    if (page === undefined) return;
    // Each element's first appearance is stamped in the page itself, so a busy machine cannot make
    // the test miss a short-lived fallback; a gap near the page's 1.2 s delay proves the fallback
    // was streamed ahead of the data (a buffered page would parse both at once).
    await page.addInitScript(() => {
      const seen: Record<string, number> = {};
      (window as unknown as { seen: typeof seen }).seen = seen;
      new MutationObserver(() => {
        for (const id of ["loading", "data"]) if (seen[id] === undefined && document.getElementById(id)) seen[id] = performance.now();
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`${site!.url}/stream`);
    await page.waitForSelector("#data");
    assert.equal(await page.$("#loading"), null);
    const seen = await page.evaluate(() => (window as unknown as { seen: Record<string, number> }).seen);
    assert.ok(seen.loading !== undefined && seen.data !== undefined, `elements seen: ${JSON.stringify(seen)}`);
    assert.ok(seen.data! - seen.loading! > 600, `the fallback came only ${Math.round(seen.data! - seen.loading!)} ms before the data`);
  });

  test("redirect() in an action called from JavaScript navigates", async (t) => {
    const page = await open(t, "/form");
    if (page === undefined) return;
    await hydrated(page);
    await page.click("#add-and-go");
    await page.waitForURL(`${site!.url}/`);
    await page.waitForFunction(() => document.querySelector("h1")?.textContent === "Server rendered home");
  });

  test("redirect() and notFound() met during a client navigation end at the right page", async (t) => {
    const page = await open(t, "/");
    if (page === undefined) return;
    await hydrated(page);
    await page.click("#to-go");
    await page.waitForURL(`${site!.url}/posts/7`);
    await page.waitForFunction(() => document.querySelector("#post")?.textContent === "Post 7");
    await page.goto(`${site!.url}/`);
    await hydrated(page);
    const response = page.waitForResponse((r) => r.url() === `${site!.url}/missing` && r.request().resourceType() === "document");
    await page.click("#to-missing");
    assert.equal((await response).status(), 404);
    await page.waitForSelector("#not-found");
  });

  test("notFound() after the first bytes were streamed shows a 404 message without reload loops", async (t) => {
    if (!(await needChromium(t))) return;
    const page = await open(t, "/");
    if (page === undefined) return;
    let documents = 0;
    page.on("request", (r) => {
      if (r.resourceType() === "document") documents++;
    });
    const response = await page.goto(`${site!.url}/late-missing`);
    assert.equal(response?.status(), 200, "the status was sent with the loading fallback");
    await page.waitForSelector("text=404: This page could not be found.");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(documents, 1);
  });

  test("an error after the first bytes, with no error.tsx, shows the root error view", async (t) => {
    const page = await open(t, "/late-crash");
    if (page === undefined) return;
    await page.waitForSelector("text=Something went wrong while rendering this page");
    assert.equal(await page.textContent("nav a"), "Home", "the layout is still there");
  });

  test("links navigate on the client with the RSC payload; error.tsx renders after hydration", async (t) => {
    const page = await open(t, "/");
    if (page === undefined) return;
    await hydrated(page);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 2));
    await page.click("a[href='/posts/42']");
    await page.waitForFunction(() => document.querySelector("#post")?.textContent === "Post 42");
    assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 2);
    await page.waitForFunction(() => document.title === "Post 42 | Fixture Site");
    const boom = await open(t, "/boom");
    await hydrated(boom!);
    assert.match((await boom!.textContent("#error-view"))!, /Caught: An error occurred/);
  });
});
