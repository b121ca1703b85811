// The recipe for `tandem dev` with pages: Vite in middleware mode (its middlewares first, for
// client modules), the server entry through the rsc environment's runner, createApp with
// renderPage, and Vite's HMR socket on its own port and path.
import assert from "node:assert/strict";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import { createServer, isRunnableDevEnvironment, type ViteDevServer } from "vite";
import { createApp, type AppOptions, type TandemApp } from "../../src/app/create-app.js";
import type { ManifestRoute } from "../../src/app/types.js";
import { tandemPlugin } from "../../src/build/vite-plugin.js";
import { emitPageData } from "../../src/pages/codegen.js";
import { HMR_PATH, tandemPages } from "../../src/pages/vite.js";
import { fromNodeRequest } from "../../src/server/request.js";
import { writeResponse } from "../../src/server/response.js";
import { CHROMIUM, CHROMIUM_ARGS, needChromium } from "../support/services.js";
import { copySite } from "./harness.js";
import { ENTRY, entryWithPages } from "./pipeline.js";

let root: string;
let vite: ViteDevServer;
let http: Server;
let url: string;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createHttpServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

before(async () => {
  root = await copySite();
  vite = await createServer({
    root, configFile: false, envDir: false, logLevel: "warn", appType: "custom", clearScreen: false,
    cacheDir: join(root, ".out", "vite-cache"),
    plugins: [tandemPlugin({ root, pageData: emitPageData }), entryWithPages(root), tandemPages({ rscEntry: ENTRY })],
    server: { middlewareMode: true, ws: { port: await freePort(), host: "127.0.0.1", path: HMR_PATH } },
  });
  const env = vite.environments.rsc!;
  assert.ok(isRunnableDevEnvironment(env));
  let last: unknown;
  let app: TandemApp | undefined;
  const current = async (): Promise<TandemApp> => {
    const entry = (await env.runner.import(ENTRY)) as {
      routes: ManifestRoute[];
      renderPage: NonNullable<AppOptions["renderPage"]>;
      runWithRequestContext: NonNullable<AppOptions["around"]>;
    };
    if (entry !== last || app === undefined) {
      last = entry;
      app = createApp({ routes: entry.routes }, { dev: true, renderPage: entry.renderPage, around: entry.runWithRequestContext });
    }
    return app;
  };
  let defaultHost = "";
  http = createHttpServer((req, res) => {
    vite.middlewares(req, res, async () => {
      const response = await (await current()).fetch(fromNodeRequest(req, { defaultHost }));
      await writeResponse(res, response, { head: req.method === "HEAD", close: false, onStreamError: (e) => console.error(e) });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  defaultHost = `127.0.0.1:${(http.address() as AddressInfo).port}`;
  url = `http://${defaultHost}`;
});

after(async () => {
  await new Promise((resolve) => http?.close(resolve));
  await vite?.close();
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
  await page.goto(`${url}/form`);
  await page.waitForFunction(() => Object.keys(document).some((key) => key.startsWith("__reactContainer")));
  await page.fill("input[name=text]", "dev item");
  await page.click("#add");
  await page.waitForFunction(() => document.querySelector("#items")?.textContent?.includes("dev item"));
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
  const file = join(root, "app/form/page.tsx");
  await writeFile(file, (await readFile(file, "utf8")).replace(">Add<", ">Add it<"));
  await page.waitForFunction(() => document.querySelector("#add")?.textContent === "Add it", undefined, { timeout: 20_000 });
  assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 1, "no full reload");
});
