// `vite dev` with tandemPages(): HMR on its own path, app upgrades untouched, edits without reloads.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";
import WebSocket, { WebSocketServer } from "ws";
import { HMR_PATH } from "../../src/pages/vite.js";
import { CHROMIUM, CHROMIUM_ARGS, needChromium } from "tandem-test-support/services";
import { serveDevCopy, type DevSite } from "./harness.js";

let site: DevSite;
before(async () => {
  site = await serveDevCopy();
});
after(() => site?.close());

function connect(url: string, protocol?: string): Promise<{ socket: WebSocket; first: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocol);
    socket.once("message", (data) => resolve({ socket, first: String(data) }));
    socket.once("error", reject);
    socket.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

describe("dev server", () => {
  test("pages render in dev", async () => {
    const res = await fetch(`${site.url}/posts/5`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<h1 id="post">Post <!-- -->5<\/h1>/);
  });

  test("in dev, error.tsx shows the real error message (production shows a generic one)", async () => {
    const res = await fetch(`${site.url}/boom`);
    assert.equal(res.status, 500);
    assert.match(await res.text(), /Caught: <!-- -->database is down/);
  });

  test("in dev, a page error with no error.tsx shows the message and the file", async () => {
    const res = await fetch(`${site.url}/crash`);
    assert.equal(res.status, 500);
    const html = await res.text();
    assert.match(html, /unhandled crash in a page/);
    assert.match(html, /crash\/page\.tsx:\d+/);
  });

  test("Vite's HMR socket answers only on its path; other upgrades reach the app", async () => {
    const ws = site.url.replace(/^http/, "ws");
    const hmr = await connect(`${ws}${HMR_PATH}`, "vite-hmr");
    assert.equal(JSON.parse(hmr.first).type, "connected");
    hmr.socket.close();
    // The app's own upgrade handler, as the realtime feature installs it on the same server.
    const app = new WebSocketServer({ noServer: true });
    const onUpgrade = (req: import("node:http").IncomingMessage, socket: import("node:stream").Duplex, head: Buffer): void => {
      if (req.url !== "/live") return;
      app.handleUpgrade(req, socket, head, (client) => client.send("from the app"));
    };
    site.server.httpServer!.on("upgrade", onUpgrade);
    try {
      for (const protocol of [undefined, "vite-hmr"]) {
        const live = await connect(`${ws}/live`, protocol);
        assert.equal(live.first, "from the app");
        live.socket.close();
      }
    } finally {
      site.server.httpServer!.off("upgrade", onUpgrade);
      app.close();
    }
  });

  test("a Server Component edit re-renders in place and a client edit keeps state (Fast Refresh)", async (t) => {
    if (!(await needChromium(t))) return;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    t.after(() => browser.close());
    const page = await browser.newPage();
    // What the page logged (Vite's client says so when it reloads the page), for a failure's message.
    const logged: string[] = [];
    page.on("console", (message) => logged.push(message.text()));
    page.on("load", () => logged.push("(page loaded)"));
    await page.goto(`${site.url}/`);
    // Vite's client loads its modules after the document; a click before they are all in can be
    // lost to a reload while dependencies are optimized on a first visit.
    await page.waitForLoadState("networkidle");
    await page.waitForFunction(() => Object.keys(document).some((key) => key.startsWith("__reactContainer")));
    await page.click("#counter");
    await page
      .waitForFunction(() => document.querySelector("#counter")?.textContent === "Count: 4", undefined, { timeout: 20_000 })
      .catch((error: Error) => assert.fail(`${error.message}; the page logged: ${logged.join(" | ") || "nothing"}`));
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));

    const pageFile = join(site.root, "app/page.tsx");
    await writeFile(pageFile, (await readFile(pageFile, "utf8")).replace("Server rendered home", "Edited on the server"));
    await page.waitForFunction(() => document.querySelector("h1")?.textContent === "Edited on the server", undefined, { timeout: 20_000 });
    assert.equal(await page.textContent("#counter"), "Count: 4");

    const counterFile = join(site.root, "app/counter.tsx");
    await writeFile(counterFile, (await readFile(counterFile, "utf8")).replace("Count: ", "Clicks: "));
    await page.waitForFunction(() => document.querySelector("#counter")?.textContent === "Clicks: 4", undefined, { timeout: 20_000 });
    assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 1, "no full reload");
  });
});
