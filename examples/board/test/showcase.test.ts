// The example as a user tries it, in Chromium, under `tandem start` and `tandem dev`: a signed-in
// user's board with ↑ ↓ ✕ and Export, with JavaScript (live status, the export's progress bar in
// real steps) and without it (the same buttons as forms posting to Server Actions), the jobs
// dashboard behind the middleware, and a console with nothing in it (no favicon 404 either).
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";
import { createTestApp, type TestApp } from "tandem/testing";
import { CHROMIUM, CHROMIUM_ARGS, needChromium } from "tandem-test-support/services";
import { copyExample } from "./copy-example.js";

const token = "showcase-token";
const root = copyExample();

for (const mode of ["start", "dev"] as const) {
  describe(`the board in a browser (${mode})`, () => {
    let app: TestApp | undefined;
    let browser: Browser | undefined;
    let base = "";
    before(async () => {
      const env = { BOARD_DB: join(root, `showcase-${mode}.sqlite`), BOARD_TOKEN: token, REDIS_URL: "", BOARD_EXPORT_STEP_MS: "150" };
      app = await createTestApp(root, { mode, env, build: mode === "start" });
      base = await app.url();
    });
    after(async () => {
      await browser?.close();
      await app?.close();
    });

    const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    async function newBoard(title: string, cards: number): Promise<string> {
      const board = await (
        await fetch(new URL("/api/boards", base), { method: "POST", body: JSON.stringify({ title }), headers: auth })
      ).json();
      for (let i = 1; i <= cards; i++) {
        const res = await fetch(new URL(`/api/boards/${board.id}/cards`, base), {
          method: "POST",
          body: JSON.stringify({ title: `Card ${i}` }),
          headers: auth,
        });
        assert.equal(res.status, 201);
      }
      return board.id;
    }

    /** A signed-in page; every console message, page error and failed response is collected. */
    async function signedInPage(javaScriptEnabled: boolean): Promise<{ page: Page; problems: string[] }> {
      browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      const context = await browser.newContext({ javaScriptEnabled });
      await context.addCookies([{ name: "board_session", value: token, url: base }]);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("console", (message) => {
        // Development's own greetings: Vite's HMR client and React's DevTools hint.
        if (mode === "dev" && /^\[vite\] connect|React DevTools/.test(message.text())) return;
        problems.push(`console ${message.type()}: ${message.text()}`);
      });
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      page.on("response", (response) => {
        if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
      });
      return { page, problems };
    }

    const titles = (page: Page) => page.$$eval("ol.cards li strong", (items) => items.map((item) => item.textContent));

    test("with JavaScript: live status, ↑ ↓ ✕, and the export's progress in steps", async (t) => {
      if (!(await needChromium(t))) return;
      const id = await newBoard("Four cards", 4);
      const { page, problems } = await signedInPage(true);
      await page.goto(new URL(`/boards/${id}`, base).href);
      await page.waitForSelector('p.status[data-state="open"]');
      assert.equal(await page.textContent("p.status"), "live");
      const icon = await page.getAttribute('link[rel="icon"]', "href");
      assert.match(icon ?? "", /^\/icon\.svg\?[0-9a-f]{16}$/);

      await page.click('button[aria-label="Move Card 1 down"]');
      await page.waitForFunction(() => document.querySelector("ol.cards li strong")?.textContent === "Card 2");
      await page.click('button[aria-label="Delete Card 4"]');
      await page.waitForFunction(() => document.querySelectorAll("ol.cards li").length === 3);
      // The server has the same order (a reload shows it).
      await page.reload();
      assert.deepEqual(await titles(page), ["Card 2", "Card 1", "Card 3"]);
      await page.waitForSelector('p.status[data-state="open"]');

      // Every value the progress bar takes, as the page shows it.
      await page.evaluate(() => {
        const seen: number[] = [];
        (window as unknown as { seen: number[] }).seen = seen;
        new MutationObserver(() => {
          const bar = document.querySelector("progress");
          if (bar !== null && seen.at(-1) !== bar.value) seen.push(bar.value);
        }).observe(document.body, { subtree: true, childList: true, attributes: true });
      });
      await page.click("text=Export CSV");
      await page.waitForSelector("#export-download");
      const seen = await page.evaluate(() => (window as unknown as { seen: number[] }).seen);
      const steps = seen.filter((value) => value > 0 && value < 100);
      assert.ok(steps.length >= 1, `progress went ${seen.join(" → ")}`);
      assert.equal(seen.at(-1), 100);
      assert.match(page.url(), /\?export=/);
      const file = await fetch(new URL((await page.getAttribute("#export-download", "href"))!, base), { headers: auth });
      assert.equal(file.status, 200);
      assert.match(await file.text(), /^id,title,body,position,createdAt,updatedAt\n.*Card 2/s);
      assert.deepEqual(problems, []);
    });

    test("without JavaScript: no live status, and ↑ ↓ ✕ and Export post forms", async (t) => {
      if (!(await needChromium(t))) return;
      const id = await newBoard("No script", 3);
      const { page, problems } = await signedInPage(false);
      await page.goto(new URL(`/boards/${id}`, base).href);
      const text = await page.textContent("main");
      assert.doesNotMatch(text ?? "", /connecting/);
      assert.match(text ?? "", /Live updates need JavaScript/);

      await page.click('button[aria-label="Move Card 1 down"]');
      await page.waitForLoadState();
      assert.equal(new URL(page.url()).pathname, `/boards/${id}`);
      assert.deepEqual(await titles(page), ["Card 2", "Card 1", "Card 3"]);
      await page.click('button[aria-label="Move Card 3 up"]');
      await page.waitForLoadState();
      assert.deepEqual(await titles(page), ["Card 2", "Card 3", "Card 1"]);
      await page.click('button[aria-label="Delete Card 2"]');
      await page.waitForLoadState();
      assert.deepEqual(await titles(page), ["Card 3", "Card 1"]);

      await page.click("text=Export JSON");
      await page.waitForLoadState();
      assert.match(page.url(), /\?export=/);
      // The page shows where the job was when it rendered; "Check again" looks again.
      for (let tries = 0; (await page.$("#export-download")) === null; tries++) {
        assert.ok(tries < 50, `the export did not finish: ${await page.textContent(".export")}`);
        assert.match((await page.textContent("#export-state")) ?? "", /waiting|active/, await page.innerHTML(".export"));
        await page.click(`a[href^="?export="]`);
        await page.waitForLoadState();
      }
      const file = await fetch(new URL((await page.getAttribute("#export-download", "href"))!, base), { headers: auth });
      assert.deepEqual(
        (await file.json()).cards.map((card: { title: string }) => card.title),
        ["Card 3", "Card 1"],
      );
      assert.deepEqual(problems, []);
    });

    test("the jobs dashboard: open to a signed-in user, the sign-in page for anyone else", async () => {
      const signedIn = await fetch(new URL("/_tandem/jobs", base), { headers: { cookie: `board_session=${token}` } });
      assert.equal(signedIn.status, 200);
      assert.match(await signedIn.text(), /<title>Jobs · Tandem<\/title>/);
      const anonymous = await fetch(new URL("/_tandem/jobs", base), { redirect: "manual" });
      assert.equal(anonymous.status, 307);
      assert.match(anonymous.headers.get("location")!, /\/signin\?next=%2F_tandem%2Fjobs$/);
    });
  });
}
