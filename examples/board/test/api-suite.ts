// The example app as a user runs it, in one mode per test file (api.<mode>.test.ts, so the three
// run in parallel): built and served in memory, `tandem build` + `tandem start`, or `tandem dev`,
// through tandem/testing; then real HTTP and Chromium. Each file serves its own copy of the app,
// so that the builds cannot race.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { execFile } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { createTestApp, type TestApp, type TestMode } from "tandem/testing";
import { copyExample } from "./copy-example.js";
import { CHROMIUM, CHROMIUM_ARGS, needChromium } from "tandem-test-support/services";

const run = promisify(execFile);
const token = "test-token";
const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
export function exampleSuite(mode: TestMode): void {
  const root = copyExample();
  describe(`the example app (${mode})`, () => {
    let app: TestApp | undefined;
    let base = "";
    before(async () => {
      const db = join(mkdtempSync(join(tmpdir(), "board-")), "board.sqlite");
      const data = mkdtempSync(join(tmpdir(), "board-data-"));
      const env = { BOARD_DB: db, BOARD_TOKEN: token, BOARD_EXPORTS: join(data, "exports"), TANDEM_DATA_DIR: data };
      app = await createTestApp(root, { mode, env });
      base = await app.url();
    });
    after(() => app?.close());

    const url = (path: string) => new URL(path, base);

    /** Runs one of the example's scripts with tsx against the running app. */
    async function runScript(script: string, args: string[]): Promise<string> {
      const { stdout } = await run(process.execPath, ["--import", "tsx", join(root, script), ...args], {
        cwd: root,
        env: { ...process.env, BOARD_URL: base, BOARD_TOKEN: token },
        timeout: 60_000,
      });
      return stdout;
    }

    test("the seeded board is listed", async () => {
      const boards = await (await fetch(url("/api/boards"))).json();
      assert.ok(boards.some((b: { id: string }) => b.id === "welcome"));
      const welcome = await (await fetch(url("/api/boards/welcome"))).json();
      assert.equal(welcome.cards.length, 2);
    });

    test("writes without the token are refused by the middleware", async () => {
      const res = await fetch(url("/api/boards"), {
        method: "POST",
        body: JSON.stringify({ title: "x" }),
        headers: { "content-type": "application/json" },
      });
      assert.equal(res.status, 401);
      assert.equal(res.headers.get("www-authenticate"), 'Bearer realm="board"');
    });

    test("the session cookie is accepted as well as the bearer token", async () => {
      const res = await fetch(url("/api/boards"), {
        method: "POST",
        body: JSON.stringify({ title: "Cookie board" }),
        headers: { "content-type": "application/json", cookie: `board_session=${token}` },
      });
      assert.equal(res.status, 201);
    });

    test("boards and cards: create, read, update, reorder, delete", async () => {
      const created = await fetch(url("/api/boards"), { method: "POST", body: JSON.stringify({ title: "Sprint" }), headers: auth });
      assert.equal(created.status, 201);
      const board = await created.json();
      assert.equal(created.headers.get("location"), `/api/boards/${board.id}`);

      const a = await (
        await fetch(url(`/api/boards/${board.id}/cards`), { method: "POST", body: JSON.stringify({ title: "A" }), headers: auth })
      ).json();
      const b = await (
        await fetch(url(`/api/boards/${board.id}/cards`), {
          method: "POST",
          body: JSON.stringify({ title: "B", body: "second" }),
          headers: auth,
        })
      ).json();
      assert.deepEqual([a.position, b.position], [0, 1]);

      const moved = await fetch(url(`/api/boards/${board.id}/cards/${b.id}`), {
        method: "PATCH",
        body: JSON.stringify({ position: 0, title: "B!" }),
        headers: auth,
      });
      assert.equal((await moved.json()).title, "B!");
      await fetch(url(`/api/boards/${board.id}/cards/${a.id}`), { method: "PATCH", body: JSON.stringify({ position: 1 }), headers: auth });
      const cards = await (await fetch(url(`/api/boards/${board.id}/cards`))).json();
      assert.deepEqual(
        cards.map((c: { title: string }) => c.title),
        ["B!", "A"],
      );

      const renamed = await fetch(url(`/api/boards/${board.id}`), {
        method: "PATCH",
        body: JSON.stringify({ title: "Sprint 2" }),
        headers: auth,
      });
      assert.equal((await renamed.json()).title, "Sprint 2");

      assert.equal((await fetch(url(`/api/boards/${board.id}/cards/${a.id}`), { method: "DELETE", headers: auth })).status, 204);
      assert.equal((await fetch(url(`/api/boards/${board.id}`), { method: "DELETE", headers: auth })).status, 204);
      assert.equal((await fetch(url(`/api/boards/${board.id}`))).status, 404);
    });

    test("bad input gets a clear 4xx with the failing fields", async () => {
      const empty = await fetch(url("/api/boards"), { method: "POST", body: JSON.stringify({ title: " " }), headers: auth });
      assert.equal(empty.status, 400);
      const error = (await empty.json()).error;
      assert.equal(error.code, "TND_ERR_VALIDATION");
      assert.deepEqual(
        error.issues.map((i: { location: string; path: unknown[] }) => [i.location, i.path]),
        [["body", ["title"]]],
      );
      const malformed = await fetch(url("/api/boards"), { method: "POST", body: "{nope", headers: auth });
      assert.equal(malformed.status, 400);
      const poisoned = await fetch(url("/api/boards"), { method: "POST", body: '{"title":"x","__proto__":{"admin":true}}', headers: auth });
      assert.equal(poisoned.status, 400);
      const wrongType = await fetch(url("/api/boards"), {
        method: "POST",
        body: "title=x",
        headers: { ...auth, "content-type": "application/x-www-form-urlencoded" },
      });
      assert.equal(wrongType.status, 415);
      const badPosition = await fetch(url("/api/boards/welcome/cards/welcome-1"), {
        method: "PATCH",
        body: JSON.stringify({ position: -1 }),
        headers: auth,
      });
      assert.equal(badPosition.status, 400);
      const missing = await fetch(url("/api/boards/nope/cards"), { method: "POST", body: JSON.stringify({ title: "x" }), headers: auth });
      assert.equal(missing.status, 404);
      const wrongMethod = await fetch(url("/api/boards"), { method: "DELETE", headers: auth });
      assert.equal(wrongMethod.status, 405);
    });

    test("scripts/seed.ts fills a board through the typed client", async () => {
      const out = await runScript("scripts/seed.ts", ["Seeded", "25"]);
      const { board, cards } = JSON.parse(out.trim().split("\n").at(-1)!);
      assert.equal(cards, 25);
      const listed = await (await fetch(url(`/api/boards/${board}/cards`))).json();
      assert.deepEqual(
        listed.map((c: { position: number }) => c.position),
        Array.from({ length: 25 }, (_, i) => i),
      );
    });

    test("scripts/mobile.ts, a client built only from the OpenAPI document, runs against the server", async () => {
      const openapi = await (await fetch(url("/openapi.json"))).json();
      assert.equal(openapi.openapi, "3.1.1");
      assert.ok(openapi.paths["/api/boards/{id}/cards"].post.requestBody, "bodies are described from the schemas");
      await runScript("scripts/mobile.ts", []);
    });

    // The mobile script's types are generated, so nothing else notices when the API changes under them.
    test("scripts/board-api.d.ts is what openapi-typescript makes of the live document", async () => {
      const committedPath = join(root, "scripts", "board-api.d.ts");
      const fresh = join(mkdtempSync(join(tmpdir(), "board-api-")), "board-api.d.ts");
      // The CLI itself, as in the command the mobile script documents, so the output matches byte for byte.
      const cli = join(dirname(fileURLToPath(import.meta.resolve("openapi-typescript"))), "..", "bin", "cli.js");
      await run(process.execPath, [cli, url("/openapi.json").href, "-o", fresh], { cwd: root, timeout: 60_000 });
      const expected = readFileSync(fresh, "utf8").split("\n");
      const actual = readFileSync(committedPath, "utf8").split("\n");
      const line = expected.findIndex((text, i) => text !== actual[i]);
      const differs = line !== -1 || actual.length !== expected.length;
      const where =
        line === -1 ? `it has ${actual.length} lines, the generated one ${expected.length}` : `first difference at line ${line + 1}`;
      assert.ok(
        !differs,
        `scripts/board-api.d.ts no longer matches the server's OpenAPI document (${where}). Regenerate it: in examples/board run ` +
          "`npm start`, then `npx openapi-typescript http://127.0.0.1:3000/openapi.json -o scripts/board-api.d.ts`",
      );
    });

    test("public/ files are served beside the pages", async () => {
      const css = await fetch(url("/styles.css"));
      assert.equal(css.status, 200);
      assert.match(css.headers.get("content-type")!, /text\/css/);
      assert.equal((await fetch(url("/..%2Fpackage.json"))).status, 404);
    });

    test("a board export runs as a background job and its file downloads", async () => {
      const started = await fetch(url("/api/boards/welcome/exports?format=csv"), { method: "POST", headers: auth });
      assert.equal(started.status, 202);
      const { id, status } = await started.json();
      let job: { state: string; progress: number; download: string | null } = { state: "", progress: 0, download: null };
      for (let i = 0; i < 100 && job.state !== "completed"; i++) {
        job = await (await fetch(url(status))).json();
        if (job.state === "failed") assert.fail(JSON.stringify(job));
        if (job.state !== "completed") await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(job.state, "completed");
      assert.equal(job.progress, 100);
      const file = await fetch(url(job.download!));
      assert.match(file.headers.get("content-type")!, /text\/csv/);
      const lines = (await file.text()).trim().split("\n");
      assert.equal(lines[0], "id,title,body,position,createdAt,updatedAt");
      assert.ok(
        lines.some((line) => line.startsWith("welcome-1,")),
        `export has the seeded card: ${lines.join(" | ")}`,
      );
      assert.equal((await fetch(url(`/api/exports/${id}-nope`))).status, 404);
    });

    test("pages: full HTML with SEO metadata, sitemap and robots, a real 404", async () => {
      const home = await (await fetch(url("/"))).text();
      assert.match(home, /<h1>Boards<\/h1>/);
      assert.match(home, /<a href="\/boards\/welcome">Welcome to Tandem<\/a>/);
      const board = await (await fetch(url("/boards/welcome"))).text();
      assert.match(board, /<title>Welcome to Tandem · Board<\/title>/);
      assert.match(board, /<link rel="canonical" href="http:\/\/localhost:3000\/boards\/welcome"\/>/);
      assert.match(board, /<meta property="og:title" content="Welcome to Tandem"\/>/);
      assert.match(board, /<meta name="twitter:card" content="summary"\/>/);
      assert.match(board, /<strong>Read the README<\/strong>/);
      const sitemap = await (await fetch(url("/sitemap.xml"))).text();
      assert.match(sitemap, /<loc>http:\/\/localhost:3000\/boards\/welcome<\/loc>/);
      assert.match(await (await fetch(url("/robots.txt"))).text(), /Disallow: \/api\//);
      assert.equal((await fetch(url("/boards/nope"))).status, 404);
    });

    test("a Server Action posted without a session is refused by the middleware", async () => {
      const res = await fetch(url("/boards/welcome"), {
        method: "POST",
        body: new FormData(),
        headers: { origin: new URL(base).origin },
      });
      assert.equal(res.status, 401);
    });

    async function browser(t: import("node:test").TestContext): Promise<Browser | undefined> {
      if (!(await needChromium(t))) return undefined;
      const b = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
      t.after(() => b.close());
      return b;
    }

    test("without JavaScript: sign in, see a validation error, add a card", async (t) => {
      const b = await browser(t);
      if (!b) return;
      const page = await (await b.newContext({ javaScriptEnabled: false })).newPage();
      await page.goto(url("/signin?next=/boards/welcome").href);
      await page.fill("input[name=token]", "wrong");
      await page.click("button[type=submit]");
      assert.equal(await page.textContent("[role=alert]"), "That token is not right.");
      await page.fill("input[name=token]", token);
      await page.click("button[type=submit]");
      await page.waitForURL(/\/boards\/welcome$/);
      await page.click("#new-card button[type=submit]");
      assert.match((await page.textContent("#new-card [role=alert]"))!, /needs a title/);
      await page.fill("#new-card input[name=title]", "Written without JS");
      await page.click("#new-card button[type=submit]");
      await page.waitForSelector("text=Written without JS");
    });

    test("with JavaScript: two browsers see each other's changes live", async (t) => {
      const b = await browser(t);
      if (!b) return;
      const created = await (
        await fetch(url("/api/boards"), { method: "POST", body: JSON.stringify({ title: "Live" }), headers: auth })
      ).json();
      const editor = await (await b.newContext()).newPage();
      const viewer = await (await b.newContext()).newPage();
      await editor.goto(url("/signin").href);
      await editor.fill("input[name=token]", token);
      await editor.click("button[type=submit]");
      await editor.waitForURL(url("/").href);
      await editor.goto(url(`/boards/${created.id}`).href);
      await viewer.goto(url(`/boards/${created.id}`).href);
      for (const p of [editor, viewer]) await p.waitForSelector(".status[data-state=open]");

      await editor.fill("#new-card input[name=title]", "First");
      await editor.click("#new-card button[type=submit]");
      await viewer.waitForSelector("li[data-card] >> text=First");
      await editor.fill("#new-card input[name=title]", "Second");
      await editor.click("#new-card button[type=submit]");
      await viewer.waitForSelector("li[data-card] >> text=Second");

      await editor.click("button[aria-label='Move Second up']");
      await viewer.waitForFunction(() => document.querySelector("ol.cards li strong")?.textContent === "Second");
      const order = await viewer.$$eval("ol.cards li strong", (els) => els.map((e) => e.textContent));
      assert.deepEqual(order, ["Second", "First"]);
      const api = await (await fetch(url(`/api/boards/${created.id}/cards`))).json();
      assert.deepEqual(
        api.map((c: { title: string }) => c.title),
        ["Second", "First"],
      );

      // The export runs as a background job; its progress arrives over the socket until the link shows.
      await editor.click("text=Export CSV");
      await editor.waitForSelector("#export-download", { timeout: 45_000 });
      assert.equal(await editor.textContent("#export-state"), "completed");
      const href = await editor.getAttribute("#export-download", "href");
      const csv = await (await fetch(url(href!))).text();
      assert.match(csv, /,Second,/);
      assert.match(csv, /,First,/);
    });
  });
}
