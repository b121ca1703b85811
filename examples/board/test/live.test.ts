// The live board as users see it, in every mode (in memory, `tandem start`, `tandem dev`): cards
// moved through the API show up at once in every connected client: plain `ws` clients and two
// Chromium pages. Built from a copy in a temp folder, so it cannot race the api tests' builds.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";
import { createTestApp, type TestApp } from "tandem/testing";
import { WebSocket } from "ws";
import { CHROMIUM, CHROMIUM_ARGS, needChromium } from "tandem-test-support/services";
import { copyExample } from "./copy-example.js";

const token = "live-token";
const root = copyExample();
let built = false;

for (const mode of ["memory", "start", "dev"] as const) {
  describe(`the live board (${mode})`, () => {
    let app: TestApp | undefined;
    let base = "";
    before(async () => {
      const env = { BOARD_DB: join(root, `board-${mode}.sqlite`), BOARD_TOKEN: token, REDIS_URL: "" };
      app = await createTestApp(root, { mode, env, build: mode !== "dev" && !built });
      built ||= mode !== "dev";
      base = await app.url();
    });
    after(() => app?.close());

    const url = (path: string) => new URL(path, base);
    const socketUrl = (board: string) => url(`/api/boards/${board}`).href.replace(/^http/, "ws");

    function listen(board: string): Promise<{ ws: WebSocket; next(): Promise<any> }> {
      return new Promise((resolve, reject) => {
        const ws = new WebSocket(socketUrl(board));
        const queue: unknown[] = [];
        const waiting: Array<(value: unknown) => void> = [];
        ws.on("message", (data) => {
          const value = JSON.parse(data.toString());
          const waiter = waiting.shift();
          if (waiter) waiter(value);
          else queue.push(value);
        });
        ws.once("open", () =>
          resolve({
            ws,
            next: () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((r) => waiting.push(r))),
          }),
        );
        ws.once("error", reject);
      });
    }

    async function move(board: string, cardId: string, position: number): Promise<Response> {
      return fetch(url(`/api/boards/${board}/cards/${cardId}/move`), {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ position }),
      });
    }

    test("the board socket sends a snapshot, then every move made through the API", async () => {
      const [a, b] = await Promise.all([listen("welcome"), listen("welcome")]);
      const snapshot = await a.next();
      assert.equal(snapshot.type, "snapshot");
      assert.equal(snapshot.cards.length, 2);
      assert.deepEqual(await b.next(), snapshot);
      const [first, second] = snapshot.cards;
      // Moving the first card past the end puts it last; the board renumbers, so both cards change.
      const res = await move("welcome", first.id, 5);
      assert.equal(res.status, 200);
      assert.equal((await res.json()).position, 1);
      for (const client of [a, b]) {
        const seen = [];
        for (let i = 0; i < 2; i++) {
          const event = await client.next();
          assert.equal(event.type, "$topic");
          assert.equal(event.topic, "board:welcome");
          assert.equal(event.data.type, "card.updated");
          seen.push(`${event.data.card.id}@${event.data.card.position}`);
        }
        assert.deepEqual(seen.sort(), [`${first.id}@1`, `${second.id}@0`].sort());
      }
      a.ws.close();
      b.ws.close();
    });

    test("moves need the token; unknown boards refuse the upgrade with 404", async () => {
      const anonymous = await fetch(url("/api/boards/welcome/cards/x/move"), {
        method: "POST",
        body: "{}",
        headers: { "content-type": "application/json" },
      });
      assert.equal(anonymous.status, 401);
      assert.equal((await move("welcome", "x", -1)).status, 400);
      assert.equal((await move("welcome", "no-such-card", 1)).status, 404);
      const status = await new Promise<number>((resolve) => {
        const ws = new WebSocket(socketUrl("no-such-board"));
        ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
        ws.on("error", () => {});
      });
      assert.equal(status, 404);
    });

    test("two browsers on the live page see a card move at the same time", async (t) => {
      if (!(await needChromium(t))) return;
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      try {
        const pages = await Promise.all([browser.newPage(), browser.newPage()]);
        for (const page of pages) {
          await page.goto(url("/live.html?board=welcome").href);
          await page.waitForFunction(() => document.getElementById("status")?.textContent === "live");
        }
        const titles = () => pages.map((page) => page.$$eval("#cards li", (items) => items.map((item) => item.textContent)));
        const before = await Promise.all(titles());
        assert.equal(before[0]!.length, 2);
        assert.deepEqual(before[0], before[1]);
        const snapshot = await (await fetch(url("/api/boards/welcome/cards"))).json();
        const last = snapshot.at(-1);
        assert.equal((await move("welcome", last.id, 0)).status, 200);
        for (const page of pages) {
          await page.waitForFunction((title) => document.querySelector("#cards li")?.textContent === title, last.title);
        }
      } finally {
        await browser.close();
      }
    });
  });
}
