// The RSC payload inlined into the document, read back the way the browser entry reads it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { injectRscPayload } from "../../src/pages/entries/inject-payload.js";

const enc = new TextEncoder();

/** A stream that yields `parts`, each after its own macrotask when `gaps` is set (separate React flushes). */
function stream(parts: Array<string | Uint8Array>, gaps = false): ReadableStream<Uint8Array> {
  return new ReadableStream({
    async start(controller) {
      for (const part of parts) {
        if (gaps) await new Promise((resolve) => setTimeout(resolve, 5));
        controller.enqueue(typeof part === "string" ? enc.encode(part) : part);
      }
      controller.close();
    },
  });
}

async function text(body: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(body).text();
}

/** What rsc-html-stream/client would hand to React: the pushed chunks, in order. */
function flightData(html: string): Array<string | number[]> {
  const pushed: Array<string | number[]> = [];
  const self = { __FLIGHT_DATA: { push: (chunk: string | Uint8Array) => pushed.push(typeof chunk === "string" ? chunk : [...chunk]) } };
  for (const m of html.matchAll(/<script>([\s\S]*?)<\/script>/g)) new Function("self", m[1]!)(self);
  return pushed;
}

test("scripts go after the first HTML and before </body></html>, which stays last", async () => {
  const html = await text(injectRscPayload(stream(["<!DOCTYPE html><html><body><p>hi</p>", "</body></html>"]), stream(["0:[1]\n"])));
  assert.ok(html.startsWith("<!DOCTYPE html><html><body><p>hi</p>"));
  assert.ok(html.endsWith("</script></body></html>"));
  assert.equal(html.split("</body></html>").length, 2);
  assert.deepEqual(flightData(html), ["0:[1]\n"]);
});

test("a trailer split over two chunks of one flush is still moved to the end", async () => {
  const html = await text(injectRscPayload(stream(["<html><body>x</bo", "dy></html>"]), stream(["a", "b"], true)));
  assert.match(html, /^<html><body>x<script>.*<\/script><\/body><\/html>$/);
  assert.deepEqual(flightData(html), ["a", "b"]);
});

test("HTML flushed later (streamed Suspense content) is never cut by a script", async () => {
  const parts = ["<html><body><div>shell</div>", "<template>late</template>", "</body></html>"];
  const html = await text(injectRscPayload(stream(parts, true), stream(["x:1\n", "y:2\n"], true)));
  for (const part of parts.slice(0, 2)) assert.ok(html.includes(part), part);
  assert.deepEqual(flightData(html), ["x:1\n", "y:2\n"]);
});

test("payload text cannot close the script element or open a comment", async () => {
  const evil = 'T:"</script><script>alert(1)</script><!--"\n';
  const html = await text(injectRscPayload(stream(["<html><body>", "</body></html>"]), stream([evil])));
  assert.equal(html.match(/<\/script>/gi)?.length, 1);
  assert.ok(!html.includes("<!--"));
  assert.deepEqual(flightData(html), [evil]);
});

test("bytes that are not UTF-8 arrive as bytes", async () => {
  const bytes = new Uint8Array([0xff, 0xfe, 0x00, 0x41]);
  const html = await text(injectRscPayload(stream(["<html><body>", "</body></html>"]), stream([bytes])));
  assert.deepEqual(flightData(html), [[0xff, 0xfe, 0x00, 0x41]]);
});

test("the nonce is set on every script", async () => {
  const html = await text(injectRscPayload(stream(["<html><body>", "</body></html>"]), stream(["a", "b"], true), "n0"));
  assert.equal(html.match(/<script nonce="n0">/g)?.length, 2);
  assert.ok(!html.includes("<script>"));
});

test("an error in the payload stream errors the document; cancelling stops both streams", async () => {
  const failing = new ReadableStream<Uint8Array>({ pull: () => Promise.reject(new Error("rsc broke")) });
  await assert.rejects(text(injectRscPayload(stream(["<html><body>", "</body></html>"]), failing)), /rsc broke/);

  let cancelled = 0;
  const endless = (): ReadableStream<Uint8Array> => {
    let stopped = false;
    return new ReadableStream<Uint8Array>({
      pull: (c) => new Promise((r) => setTimeout(() => r(stopped ? undefined : c.enqueue(enc.encode("x"))), 5)),
      cancel: () => {
        stopped = true;
        cancelled++;
      },
    });
  };
  const body = injectRscPayload(endless(), endless());
  const reader = body.getReader();
  await reader.read();
  await reader.cancel(new Error("client went away"));
  assert.equal(cancelled, 2);
});

test("a document whose HTML and payload are ready together is one chunk", async () => {
  const reader = injectRscPayload(stream(["<html><body>", "<p>x</p>", "</body></html>"]), stream(["a", "b"])).getReader();
  const first = await reader.read();
  assert.match(new TextDecoder().decode(first.value), /^<html><body><p>x<\/p><script>.*<\/script><\/body><\/html>$/);
  assert.equal((await reader.read()).done, true);
});
