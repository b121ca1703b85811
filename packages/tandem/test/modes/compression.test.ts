// Compression in every mode (in memory behind a real server, `tandem start`, `tandem dev`), read
// with node's HTTP client so the bytes are seen as sent: pages, streamed pages, route handlers,
// the build's precompressed assets, `compression: false`, and a streamed page in Chromium.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { writeFile, mkdir, rm } from "node:fs/promises";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import * as zlib from "node:zlib";
import { chromium } from "playwright-core";
import { createTestApp } from "tandem/testing";
import { copySite } from "../pages/harness.js";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";
import { CHROMIUM, CHROMIUM_ARGS, needChromium } from "tandem-test-support/services";

const root = await copySite();
await mkdir(join(root, "app", "api", "cards"), { recursive: true });
await writeFile(
  join(root, "app", "api", "cards", "route.ts"),
  `export const GET = () => Response.json(Array.from({ length: 300 }, (_, i) => ({ id: i, title: "card " + i })));\n`,
);
after(() => rm(root, { recursive: true, force: true }));

interface Raw {
  status: number;
  headers: IncomingMessage["headers"];
  body: Buffer;
  /** When each decoded chunk arrived, and its text. */
  chunks: Array<{ at: number; text: string }>;
}

/** GET with an explicit Accept-Encoding, decoding as the bytes arrive. */
function get(url: string, acceptEncoding?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: "text/html" };
    if (acceptEncoding !== undefined) headers["accept-encoding"] = acceptEncoding;
    const started = Date.now();
    const req = httpRequest(url, { headers }, (res) => {
      const raw: Buffer[] = [];
      const chunks: Raw["chunks"] = [];
      const encoding = res.headers["content-encoding"];
      const decoder = encoding === "br" ? zlib.createBrotliDecompress() : encoding === "gzip" ? zlib.createGunzip() : undefined;
      res.on("data", (c: Buffer) => raw.push(c));
      const text = decoder ?? res;
      if (decoder !== undefined) res.pipe(decoder);
      text.on("data", (c: Buffer) => chunks.push({ at: Date.now() - started, text: c.toString() }));
      text.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(raw), chunks }));
      text.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

const textOf = (raw: Raw): string => raw.chunks.map((c) => c.text).join("");

describeModes("compression", root, (app, mode) => {
  test("a page is compressed with brotli or gzip, and sent as it is without Accept-Encoding", async () => {
    const url = `${await app().url()}/`;
    const br = await get(url, "gzip, deflate, br");
    const gz = await get(url, "gzip");
    const plain = await get(url);
    assert.equal(br.headers["content-encoding"], "br");
    assert.equal(gz.headers["content-encoding"], "gzip");
    assert.equal(plain.headers["content-encoding"], undefined);
    for (const raw of [br, gz, plain]) {
      assert.equal(raw.status, 200);
      assert.match(raw.headers.vary ?? "", /Accept-Encoding/);
      assert.match(textOf(raw), /<h1>Server rendered home<\/h1>/);
    }
    assert.ok(br.body.byteLength < plain.body.byteLength * 0.5, `brotli ${br.body.byteLength} B of ${plain.body.byteLength} B`);
  });

  test("a streamed page still streams: loading.tsx is decoded before the slow data is sent", async () => {
    const raw = await get(`${await app().url()}/stream`, "br");
    assert.equal(raw.headers["content-encoding"], "br");
    const first = raw.chunks.findIndex((c) => c.text.includes('id="loading"'));
    const data = raw.chunks.findIndex((c) => c.text.includes("Slow data arrived"));
    assert.ok(first !== -1 && data !== -1, "both parts arrive");
    assert.ok(first < data, "the fallback comes in an earlier chunk");
    // The page waits 1.2 s for its data; the fallback must not wait with it.
    assert.ok(
      raw.chunks[data]!.at - raw.chunks[first]!.at > 600,
      `fallback at ${raw.chunks[first]!.at} ms, data at ${raw.chunks[data]!.at} ms`,
    );
  });

  test("route handlers' JSON over the threshold is compressed", async () => {
    const raw = await get(`${await app().url()}/api/cards`, "gzip");
    assert.equal(raw.headers["content-encoding"], "gzip");
    assert.equal(JSON.parse(textOf(raw)).length, 300);
  });

  if (mode !== "dev") {
    test("the build's precompressed siblings are sent for client assets", async () => {
      const html = textOf(await get(`${await app().url()}/`));
      const script = /import\("([^"]+\.js)"\)/.exec(html)?.[1];
      assert.ok(script, "the page references its browser entry");
      const br = await get(`${await app().url()}${script}`, "br, gzip");
      const plain = await get(`${await app().url()}${script}`);
      assert.equal(br.headers["content-encoding"], "br");
      assert.match(br.headers.etag!, /-br"$/);
      assert.equal(br.headers["cache-control"], "public, max-age=31536000, immutable");
      assert.equal(Number(br.headers["content-length"]), br.body.byteLength, "a file's own length, not chunked");
      assert.equal(textOf(br), plain.body.toString());
    });
  }
});

test("compression: false in tandem.config.ts turns it off", async () => {
  const project = createProject({
    "tandem.config.ts": `export default { compression: false };\n`,
    "app/api/cards/route.ts": `export const GET = () => Response.json(Array.from({ length: 300 }, (_, i) => ({ id: i })));\n`,
  });
  const app = await createTestApp(project.root, { mode: "memory" });
  try {
    const raw = await get(`${await app.url()}/api/cards`, "br, gzip");
    assert.equal(raw.headers["content-encoding"], undefined);
    assert.equal(raw.headers.vary, undefined);
  } finally {
    await app.close();
    project.remove();
  }
});

test("Chromium: a streamed page arrives compressed and shows its fallback before the data", async (t) => {
  if (!(await needChromium(t))) return;
  const app = await createTestApp(root, { mode: "start", build: false });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage();
    // The page's data waits for this file, made once the fallback is seen: a fixed delay let a
    // loaded machine's browser render both at once.
    const gate = join(mkdtempSync(join(tmpdir(), "tandem-gate-")), "open");
    const response = page.waitForResponse((r) => new URL(r.url()).pathname === "/stream");
    const navigation = page.goto(`${await app.url()}/stream?gate=${encodeURIComponent(gate)}`, { waitUntil: "commit" });
    await page.waitForSelector("#loading", { timeout: 10_000 });
    assert.equal(await page.locator("#data").count(), 0, "the data is not there yet");
    writeFileSync(gate, "");
    assert.equal((await (await response).allHeaders())["content-encoding"], "br");
    await page.waitForSelector("#data", { timeout: 10_000 });
    await navigation;
  } finally {
    await browser.close();
    await app.close();
  }
});
