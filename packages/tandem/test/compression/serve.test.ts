// serve({ compression }) against a real listening server and node's own HTTP client (which, unlike
// fetch, hands back the bytes as they came): the negotiation matrix, what must never be
// compressed, and streams that must arrive as they are written.
import assert from "node:assert/strict";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { after, before, describe, test } from "node:test";
import * as zlib from "node:zlib";
import { availableEncodings } from "../../src/compression/compressor.js";
import { serve, type RunningServer, type ServeOptions } from "tandem/node";
import { quietLogger } from "../support/matrix.js";

const BIG = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ id: i, title: `card number ${i}`, done: i % 3 === 0 })) });
const HUGE = "x".repeat(300 * 1024);
const json = { "content-type": "application/json" };

let release: (() => void) | undefined;
const routes: Record<string, () => Response> = {
  "/big": () => Response.json(JSON.parse(BIG)),
  "/big-real": () => new Response(BIG, { headers: json }),
  "/small": () => Response.json({ hello: "world" }),
  "/huge": () => new Response(HUGE, { headers: { "content-type": "text/plain" } }),
  "/png": () => new Response(new Uint8Array(4096), { headers: { "content-type": "image/png" } }),
  "/encoded": () => new Response(zlib.gzipSync(BIG), { headers: { ...json, "content-encoding": "gzip" } }),
  "/no-transform": () => new Response(BIG, { headers: { ...json, "cache-control": "no-transform" } }),
  "/partial": () => new Response(BIG.slice(0, 2000), { status: 206, headers: { ...json, "content-range": `bytes 0-1999/${BIG.length}` } }),
  "/not-modified": () => new Response(null, { status: 304, headers: { etag: '"a"' } }),
  "/no-content": () => new Response(null, { status: 204 }),
  "/vary": () => new Response(BIG, { headers: { ...json, vary: "Origin", etag: '"v1"' } }),
  "/stream": () =>
    new Response(
      new ReadableStream({
        async start(controller) {
          controller.enqueue(new TextEncoder().encode("data: first\n\n"));
          await new Promise<void>((resolve) => (release = resolve));
          controller.enqueue(new TextEncoder().encode("data: second\n\n"));
          controller.close();
        },
      }),
      { headers: { "content-type": "text/event-stream" } },
    ),
  // A page without Suspense: React writes it in a few chunks and closes the stream at once.
  "/stream-whole": () =>
    new Response(
      new ReadableStream({
        start(controller) {
          const bytes = new TextEncoder().encode(BIG);
          for (let at = 0; at < bytes.byteLength; at += 1000) controller.enqueue(bytes.subarray(at, at + 1000));
          queueMicrotask(() => controller.close());
        },
      }),
      { headers: { "content-type": "text/html; charset=utf-8" } },
    ),
  "/stream-small": () =>
    new Response(new ReadableStream({ start: (c) => (c.enqueue(new Uint8Array(10)), c.close()) }), {
      headers: { "content-type": "text/plain", "content-length": "10" },
    }),
};

async function start(compression: ServeOptions["compression"]): Promise<RunningServer> {
  return serve({
    port: 0,
    host: "127.0.0.1",
    logger: quietLogger,
    compression,
    fetch: (request) => (routes[new URL(request.url).pathname] ?? (() => new Response("nope", { status: 404 })))(),
  });
}

interface Raw {
  status: number;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

function get(server: RunningServer, path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${server.url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

function decode(raw: Raw): string {
  const encoding = raw.headers["content-encoding"];
  if (encoding === "br") return zlib.brotliDecompressSync(raw.body).toString();
  if (encoding === "gzip") return zlib.gunzipSync(raw.body).toString();
  if (encoding === "zstd") return (zlib as unknown as { zstdDecompressSync(b: Buffer): Buffer }).zstdDecompressSync(raw.body).toString();
  assert.equal(encoding, undefined);
  return raw.body.toString();
}

describe("compression on", () => {
  let server: RunningServer;
  before(async () => (server = await start(true)));
  after(() => server.close());

  test("negotiates from Accept-Encoding, with an exact Content-Length and Vary", async () => {
    const cases: Array<[string | undefined, string | undefined]> = [
      [undefined, undefined],
      ["gzip", "gzip"],
      ["gzip, deflate, br", "br"],
      ["br;q=0.5, gzip", "gzip"],
      ["deflate", undefined],
      ["gzip;q=0, br;q=0", undefined],
      ["deflate, identity;q=0", undefined],
      ["gzip, identity;q=0", "gzip"],
      ["*", "br"],
      ["br;q=0, *;q=0.1", availableEncodings().includes("zstd") ? "zstd" : "gzip"],
    ];
    if (availableEncodings().includes("zstd")) cases.push(["zstd", "zstd"]);
    for (const path of ["/big", "/big-real"]) {
      for (const [accept, expected] of cases) {
        const raw = await get(server, path, accept === undefined ? {} : { "accept-encoding": accept });
        assert.equal(raw.headers["content-encoding"], expected, `${path} ${accept}`);
        assert.equal(raw.headers.vary, "Accept-Encoding", `${path} ${accept}`);
        assert.equal(Number(raw.headers["content-length"]), raw.body.byteLength);
        assert.equal(decode(raw), BIG);
        if (expected !== undefined) assert.ok(raw.body.byteLength < BIG.length / 3, `${expected} shrinks ${path}`);
      }
    }
  });

  test("a body over 64 KiB is compressed off the event loop, whole", async () => {
    const raw = await get(server, "/huge", { "accept-encoding": "br" });
    assert.equal(raw.headers["content-encoding"], "br");
    assert.equal(Number(raw.headers["content-length"]), raw.body.byteLength);
    assert.equal(decode(raw), HUGE);
  });

  test("small bodies and incompressible types go out as they are, without Vary", async () => {
    for (const path of ["/small", "/png", "/stream-small"]) {
      const raw = await get(server, path, { "accept-encoding": "br, gzip" });
      assert.equal(raw.headers["content-encoding"], undefined, path);
      assert.equal(raw.headers.vary, undefined, path);
    }
  });

  test("never: an encoded body, no-transform, a range, HEAD, 204 and 304", async () => {
    const encoded = await get(server, "/encoded", { "accept-encoding": "br" });
    assert.equal(encoded.headers["content-encoding"], "gzip");
    assert.equal(zlib.gunzipSync(encoded.body).toString(), BIG);
    const noTransform = await get(server, "/no-transform", { "accept-encoding": "br" });
    assert.equal(noTransform.headers["content-encoding"], undefined);
    assert.equal(noTransform.body.toString(), BIG);
    const partial = await get(server, "/partial", { "accept-encoding": "br" });
    assert.equal(partial.status, 206);
    assert.equal(partial.headers["content-encoding"], undefined);
    assert.equal(partial.body.toString(), BIG.slice(0, 2000));
    const head = await get(server, "/big", { "accept-encoding": "br" }, "HEAD");
    assert.equal(head.headers["content-encoding"], undefined);
    assert.equal(head.headers["content-length"], String(BIG.length));
    assert.equal(head.body.byteLength, 0);
    for (const [path, status] of [
      ["/not-modified", 304],
      ["/no-content", 204],
    ] as const) {
      const raw = await get(server, path, { "accept-encoding": "br" });
      assert.equal(raw.status, status);
      assert.equal(raw.headers["content-encoding"], undefined);
      assert.equal(raw.body.byteLength, 0);
    }
  });

  test("Vary keeps the app's own fields; a strong ETag turns weak once encoded", async () => {
    const raw = await get(server, "/vary", { "accept-encoding": "gzip" });
    assert.equal(raw.headers.vary, "Origin, Accept-Encoding");
    assert.equal(raw.headers.etag, 'W/"v1"');
    const plain = await get(server, "/vary");
    assert.equal(plain.headers.etag, '"v1"');
  });

  test("a stream that ends within a turn of the event loop goes out whole, with its length, compressed in one call", async () => {
    for (const encoding of availableEncodings()) {
      const raw = await get(server, "/stream-whole", { "accept-encoding": encoding });
      assert.equal(raw.headers["content-encoding"], encoding);
      assert.equal(raw.headers["transfer-encoding"], undefined, encoding);
      assert.equal(Number(raw.headers["content-length"]), raw.body.byteLength, encoding);
      assert.equal(decode(raw), BIG);
    }
    // Without a coding it goes out whole too, in one write with its length.
    const plain = await get(server, "/stream-whole");
    assert.equal(plain.headers["transfer-encoding"], undefined);
    assert.equal(Number(plain.headers["content-length"]), BIG.length);
    assert.equal(decode(plain), BIG);
  });

  for (const encoding of availableEncodings()) {
    test(`a stream is flushed chunk by chunk (${encoding}, as SSE and streamed pages need)`, async () => {
      const decoder = {
        br: zlib.createBrotliDecompress,
        gzip: zlib.createGunzip,
        zstd: (zlib as unknown as { createZstdDecompress: typeof zlib.createGunzip }).createZstdDecompress,
      }[encoding]();
      const received: string[] = [];
      const ended = new Promise<IncomingMessage>((resolve, reject) => {
        const req = httpRequest(`${server.url}/stream`, { headers: { "accept-encoding": encoding } }, (res) => {
          res.pipe(decoder);
          decoder.on("data", (chunk: Buffer) => {
            received.push(chunk.toString());
            // The first event is readable before the server writes the second.
            if (received.join("") === "data: first\n\n") release!();
          });
          decoder.on("end", () => resolve(res));
        });
        req.on("error", reject);
        req.end();
      });
      const res = await ended;
      assert.equal(res.headers["content-encoding"], encoding);
      assert.equal(res.headers["transfer-encoding"], "chunked");
      assert.equal(res.headers.vary, "Accept-Encoding");
      assert.equal(received.join(""), "data: first\n\ndata: second\n\n");
    });
  }
});

describe("compression settings", () => {
  test("off by default in serve(), and with false", async () => {
    for (const setting of [undefined, false]) {
      const server = await start(setting);
      const raw = await get(server, "/big", { "accept-encoding": "br, gzip" });
      await server.close();
      assert.equal(raw.headers["content-encoding"], undefined);
      assert.equal(raw.headers.vary, undefined);
    }
  });

  test("threshold, encodings and levels", async () => {
    const server = await start({ threshold: 10, encodings: ["gzip"], level: { gzip: 1 } });
    const small = await get(server, "/small", { "accept-encoding": "br, gzip" });
    const big = await get(server, "/big", { "accept-encoding": "br" });
    await server.close();
    assert.equal(small.headers["content-encoding"], "gzip");
    assert.equal(decode(small), '{"hello":"world"}');
    assert.equal(big.headers["content-encoding"], undefined, "br is not offered");
  });

  test("a function is asked per response", async () => {
    let setting: boolean | { threshold: number } = false;
    const server = await start(() => setting);
    const before = await get(server, "/small", { "accept-encoding": "gzip" });
    setting = { threshold: 1 };
    const afterChange = await get(server, "/small", { "accept-encoding": "gzip" });
    await server.close();
    assert.equal(before.headers["content-encoding"], undefined);
    assert.equal(afterChange.headers["content-encoding"], "gzip");
  });

  test("bad settings stop serve() with a message naming them", async () => {
    const bad: unknown[] = [
      { threshold: -1 },
      { threshold: 1.5 },
      { encodings: ["deflate"] },
      { level: { br: 12 } },
      { level: { lz4: 1 } },
      { speed: 1 },
      "yes",
    ];
    for (const compression of bad) {
      await assert.rejects(start(compression as ServeOptions["compression"]), (error: Error & { code?: string }) => {
        assert.equal(error.code, "TND_ERR_INVALID_OPTION");
        assert.match(error.message, /compression/);
        return true;
      });
    }
  });
});
