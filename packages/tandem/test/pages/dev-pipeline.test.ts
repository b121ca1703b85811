// `tandem dev` with pages, as the CLI runs it: createDevServer (Vite in middleware mode, the
// server entry through the rsc environment's runner, HMR on its own port) behind serve().
import assert from "node:assert/strict";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import { createDevServer, type DevServer } from "../../src/build/dev-server.js";
import { serve, type RunningServer } from "tandem/node";
import { CHROMIUM, CHROMIUM_ARGS, needChromium } from "tandem-test-support/services";
import { copySite } from "./harness.js";

let root: string;
let dev: DevServer;
let server: RunningServer;
let url: string;

before(async () => {
  root = await copySite();
  dev = await createDevServer({ root, host: "127.0.0.1" });
  server = await serve({
    fetch: dev.fetch,
    onUpgrade: dev.onUpgrade,
    ...(dev.nodeMiddleware ? { nodeMiddleware: dev.nodeMiddleware } : {}),
    port: 0,
    host: "127.0.0.1",
    handleSignals: false,
  });
  url = server.url;
});

after(async () => {
  await server?.close();
  await dev?.close();
  await rm(root, { recursive: true, force: true });
});

test("pages render through createApp in dev", async () => {
  const res = await fetch(`${url}/posts/3?tab=x`);
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /<h1 id="post">Post <!-- -->3<\/h1>/);
  assert.match(html, /tab=<!-- -->x/);
});

test("hydration, an action and a Server Component edit (HMR on its own port) in Chromium", async (t) => {
  if (!(await needChromium(t))) return;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  t.after(() => browser.close());
  const page = await browser.newPage();
  // What the page logged (Vite's client says when it connects, fails to, or reloads), for a failure.
  const logged: string[] = [];
  page.on("console", (message) => logged.push(message.text()));
  // An edit saved before Vite's client has its HMR socket open is never sent to this page.
  const hmrConnected = new Promise<void>((resolve) => {
    page.on("websocket", (socket) => {
      socket.on("framereceived", ({ payload }) => {
        if (String(payload).includes('"type":"connected"')) resolve();
      });
    });
  });
  await page.goto(`${url}/form`);
  await page.waitForFunction(() => Object.keys(document).some((key) => key.startsWith("__reactContainer")));
  await page.fill("input[name=text]", "dev item");
  await page.click("#add");
  await page.waitForFunction(() => document.querySelector("#items")?.textContent?.includes("dev item"));
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
  await hmrConnected;
  const file = join(root, "app/form/page.tsx");
  await writeFile(file, (await readFile(file, "utf8")).replace(/>\s*Add\s*</, ">Add it<"));
  await page
    .waitForFunction(() => document.querySelector("#add")?.textContent === "Add it", undefined, { timeout: 20_000 })
    .catch((error: Error) => assert.fail(`${error.message}; the page logged: ${logged.join(" | ") || "nothing"}`));
  assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 1, "no full reload");
});
