// The browser's own WebSocket in real Chromium: a React page on useSocket/useTopic, a plain
// WebSocket, and a cross-site page whose upgrade is refused (CSWSH).
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { chromium } from "playwright-core";
import { build } from "vite";
import { defineSocket } from "tandem/realtime";
import { CHROMIUM, CHROMIUM_ARGS, needChromium } from "tandem-test-support/services";
import { startServer } from "./helpers.js";

async function bundle(): Promise<string> {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const result = await build({
    configFile: false,
    logLevel: "silent",
    root,
    define: { "process.env.NODE_ENV": '"production"' },
    build: {
      write: false,
      minify: false,
      lib: { entry: fileURLToPath(new URL("./fixtures/browser-entry.tsx", import.meta.url)), formats: ["es"], fileName: "entry" },
    },
  });
  const output = (Array.isArray(result) ? result[0]! : result) as { output: Array<{ code?: string }> };
  return output.output[0]!.code!;
}

const live = defineSocket({
  open(peer) {
    peer.subscribe("cards");
  },
  message(peer, message) {
    const text = typeof message === "string" ? (JSON.parse(message) as { text: string }).text : "binary";
    peer.send({ echo: text });
  },
  subscribe: (_peer, topic) => topic === "news",
});

const html = (script: string) =>
  new Response(`<!doctype html><html><body><div id="root"></div>${script}</body></html>`, { headers: { "content-type": "text/html" } });

test("Chromium: React hooks and a plain WebSocket on a socket route; cross-site upgrade refused", async (t) => {
  if (!(await needChromium(t))) return;
  const code = await bundle();
  const app = await startServer({
    sockets: { "/live": live },
    fetch(request) {
      const { pathname } = new URL(request.url);
      if (pathname === "/entry.js") return new Response(code, { headers: { "content-type": "text/javascript" } });
      return html(`<script type="module" src="/entry.js"></script>`);
    },
  });
  const foreign = await startServer({ fetch: () => html("") });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${app.url}/`);
    await page.waitForFunction(() => document.querySelector("#state")?.textContent === "open");
    await app.realtime.publish("cards", { title: "Card 1 moved" });
    await page.waitForFunction(() => document.querySelector("#card")?.textContent === "Card 1 moved");
    await page.click("#send");
    await page.waitForFunction(() => document.querySelector("#echo")?.textContent === "clicked");
    // useTopic with subscribe: true sends $subscribe once connected; publish until it lands.
    for (let i = 0; i < 50; i++) {
      await app.realtime.publish("news", "extra!");
      if ((await page.textContent("#news")) === "extra!") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(await page.textContent("#news"), "extra!");

    const plain = await page.evaluate(
      (url) =>
        new Promise<string>((resolve, reject) => {
          const ws = new WebSocket(url);
          ws.onopen = () => ws.send(JSON.stringify({ text: "from the browser" }));
          ws.onmessage = (event) => {
            resolve(String(event.data));
            ws.close();
          };
          ws.onerror = () => reject(new Error("plain WebSocket failed"));
        }),
      `${app.ws}/live`,
    );
    assert.deepEqual(JSON.parse(plain), { echo: "from the browser" });

    const other = await browser.newPage();
    const handshakeErrors: string[] = [];
    other.on("websocket", (ws) => ws.on("socketerror", (message) => handshakeErrors.push(message)));
    await other.goto(`${foreign.url}/`);
    const crossSite = await other.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(url);
          ws.onopen = () => resolve("open");
          ws.onclose = (event) => resolve(`closed ${event.code}`);
        }),
      `${app.ws}/live`,
    );
    assert.equal(crossSite, "closed 1006");
    assert.match(handshakeErrors.join(), /403/);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await app.close();
    await foreign.close();
  }
});
