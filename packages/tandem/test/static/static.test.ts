// Static files as send/serve-static answer them, over a real server: validators and caching,
// If-None-Match lists with weak comparison, If-Modified-Since, single ranges (206/416), If-Range,
// content types from the MIME table, and precompressed siblings.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { createApp } from "../../src/app/create-app.js";
import { serve, type RunningServer } from "tandem/node";
import { parseRange } from "../../src/static/range.js";
import { contentTypeFor } from "../../src/static/content-type.js";
import { quietLogger } from "../support/matrix.js";

const TEXT = "0123456789abcdefghij";
const JS = `console.log(${JSON.stringify("x".repeat(3000))});\n`;
const MTIME = new Date("2026-01-02T03:04:05.678Z");
let dir: string;
let server: RunningServer;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "tandem-static-"));
  mkdirSync(join(dir, "public"), { recursive: true });
  mkdirSync(join(dir, "client", "assets"), { recursive: true });
  writeFileSync(join(dir, "public", "digits.txt"), TEXT);
  writeFileSync(join(dir, "public", "empty.txt"), "");
  for (const name of ["digits.txt", "empty.txt"]) utimesSync(join(dir, "public", name), MTIME, MTIME);
  writeFileSync(join(dir, "client", "assets", "app-abc123.js"), JS);
  writeFileSync(join(dir, "client", "assets", "app-abc123.js.br"), brotliCompressSync(JS));
  writeFileSync(join(dir, "client", "assets", "app-abc123.js.gz"), gzipSync(JS));
  const app = createApp({ routes: [], publicDir: join(dir, "public"), assetsDir: join(dir, "client") }, { logger: quietLogger });
  server = await serve({ fetch: app.fetch, port: 0, host: "127.0.0.1", logger: quietLogger });
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}, method = "GET") =>
  fetch(`${server.url}${path}`, { method, headers: { "accept-encoding": "identity", ...headers } });

test("public/ files: weak ETag, Last-Modified, revalidated caching, Accept-Ranges", async () => {
  const res = await get("/digits.txt");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/plain; charset=utf-8");
  assert.match(res.headers.get("etag")!, /^W\/"14-[0-9a-f]+"$/);
  assert.equal(res.headers.get("last-modified"), "Fri, 02 Jan 2026 03:04:05 GMT");
  assert.equal(res.headers.get("cache-control"), "public, max-age=0, must-revalidate");
  assert.equal(res.headers.get("accept-ranges"), "bytes");
  assert.equal(await res.text(), TEXT);
  const empty = await get("/empty.txt");
  assert.equal(empty.status, 200);
  assert.equal(empty.headers.get("content-length"), "0");
  assert.equal(await empty.text(), "");
});

test("hashed build assets: strong ETag and a year of immutable caching", async () => {
  const res = await get("/assets/app-abc123.js");
  assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
  assert.match(res.headers.get("etag")!, /^"[0-9a-f]+-[0-9a-f]+"$/);
  assert.equal(res.headers.get("content-type"), "text/javascript; charset=utf-8");
  assert.equal(await res.text(), JS);
});

test("If-None-Match: lists, weak comparison and *; it wins over If-Modified-Since", async () => {
  const etag = (await get("/digits.txt")).headers.get("etag")!;
  const strongForm = etag.slice(2);
  for (const value of [etag, strongForm, `"other", ${etag}`, `"a" , ${strongForm},"b"`, "*"]) {
    const res = await get("/digits.txt", { "if-none-match": value });
    assert.equal(res.status, 304, value);
    assert.equal(res.headers.get("etag"), etag);
    assert.equal(await res.text(), "");
  }
  assert.equal((await get("/digits.txt", { "if-none-match": `"other"` })).status, 200);
  // A non-matching If-None-Match means changed, whatever If-Modified-Since says.
  assert.equal((await get("/digits.txt", { "if-none-match": `"other"`, "if-modified-since": new Date().toUTCString() })).status, 200);
});

test("If-Modified-Since: 304 from the file's second on, 200 before it or for a bad date", async () => {
  const cases: Array<[string, number]> = [
    ["Fri, 02 Jan 2026 03:04:05 GMT", 304],
    ["Fri, 02 Jan 2026 03:05:00 GMT", 304],
    ["Fri, 02 Jan 2026 03:04:04 GMT", 200],
    ["not a date", 200],
  ];
  for (const [since, status] of cases) assert.equal((await get("/digits.txt", { "if-modified-since": since })).status, status, since);
});

test("Range: one range is 206 with Content-Range; outside the file is 416; others are ignored", async () => {
  const cases: Array<[string, number, string | null, string]> = [
    ["bytes=0-4", 206, "bytes 0-4/20", "01234"],
    ["bytes=10-", 206, "bytes 10-19/20", "abcdefghij"],
    ["bytes=-3", 206, "bytes 17-19/20", "hij"],
    ["bytes=15-99", 206, "bytes 15-19/20", "fghij"],
    ["bytes=-50", 206, "bytes 0-19/20", TEXT],
    ["bytes=20-", 416, "bytes */20", ""],
    ["bytes=-0", 416, "bytes */20", ""],
    ["bytes=0-1,5-6", 200, null, TEXT],
    ["bytes=5-2", 200, null, TEXT],
    ["bytes=abc", 200, null, TEXT],
    ["items=0-4", 200, null, TEXT],
  ];
  for (const [range, status, contentRange, body] of cases) {
    const res = await get("/digits.txt", { range });
    assert.equal(res.status, status, range);
    assert.equal(res.headers.get("content-range"), contentRange, range);
    const text = await res.text();
    if (status !== 416) {
      assert.equal(text, body, range);
      assert.equal(res.headers.get("content-length"), String(body.length), range);
    }
  }
  const head = await get("/digits.txt", { range: "bytes=0-4" }, "HEAD");
  assert.equal(head.status, 200, "ranges apply to GET only");
});

test("If-Range: a stale validator gets the whole file; a weak ETag never matches", async () => {
  const res = await get("/digits.txt");
  const lastModified = res.headers.get("last-modified")!;
  assert.equal((await get("/digits.txt", { range: "bytes=0-1", "if-range": lastModified })).status, 206);
  assert.equal((await get("/digits.txt", { range: "bytes=0-1", "if-range": "Thu, 01 Jan 2026 00:00:00 GMT" })).status, 200);
  assert.equal((await get("/digits.txt", { range: "bytes=0-1", "if-range": res.headers.get("etag")! })).status, 200);
  const asset = await get("/assets/app-abc123.js");
  assert.equal((await get("/assets/app-abc123.js", { range: "bytes=0-1", "if-range": asset.headers.get("etag")! })).status, 206);
});

test("precompressed siblings: chosen by Accept-Encoding, with their own ETag; ranges get the plain file", async () => {
  const br = await get("/assets/app-abc123.js", { "accept-encoding": "gzip, br" });
  assert.equal(br.headers.get("content-encoding"), "br");
  assert.equal(br.headers.get("vary"), "Accept-Encoding");
  assert.match(br.headers.get("etag")!, /-br"$/);
  assert.equal(await br.text(), JS, "fetch decodes it back");
  const gz = await get("/assets/app-abc123.js", { "accept-encoding": "gzip" });
  assert.equal(gz.headers.get("content-encoding"), "gzip");
  assert.match(gz.headers.get("etag")!, /-gzip"$/);
  assert.equal((await get("/assets/app-abc123.js", { "accept-encoding": "gzip", "if-none-match": gz.headers.get("etag")! })).status, 304);
  const ranged = await get("/assets/app-abc123.js", { "accept-encoding": "br", range: "bytes=0-10" });
  assert.equal(ranged.status, 206);
  assert.equal(ranged.headers.get("content-encoding"), null);
  assert.equal(await ranged.text(), JS.slice(0, 11));
});

test("parseRange and contentTypeFor", () => {
  assert.deepEqual(parseRange("bytes=0-0", 1), { start: 0, end: 0 });
  assert.equal(parseRange("bytes=0-", 0), "unsatisfiable");
  assert.equal(parseRange("bytes=-1", 0), "unsatisfiable");
  assert.equal(parseRange("bytes= 1-2", 5) !== undefined, true);
  const types: Array<[string, string]> = [
    ["a.html", "text/html; charset=utf-8"],
    ["a.css", "text/css; charset=utf-8"],
    ["a.mjs", "text/javascript; charset=utf-8"],
    ["a.json", "application/json"],
    ["a.webmanifest", "application/manifest+json"],
    ["a.ico", "image/x-icon"],
    ["a.avif", "image/avif"],
    ["a.woff2", "font/woff2"],
    ["a.wasm", "application/wasm"],
    ["a.PNG", "image/png"],
    ["a.unknownext", "application/octet-stream"],
    ["noext", "application/octet-stream"],
  ];
  for (const [name, type] of types) assert.equal(contentTypeFor(name), type, name);
});
