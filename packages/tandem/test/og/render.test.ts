// ImageResponse without a server: option checks, emoji from @twemoji/svg, fonts given by the app.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { test } from "node:test";
import { createElement } from "react";
import { ImageResponse } from "tandem/next-og";
import { toEmojiName } from "../../src/og/render.js";

const require = createRequire(import.meta.url);

const box = (text: string) =>
  createElement("div", { style: { display: "flex", width: "100%", height: "100%", background: "white", fontSize: 60 } }, text);

async function pngOf(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

test("twemoji file names: code points in hex, U+FE0F kept only in ZWJ sequences", () => {
  assert.equal(toEmojiName("👋"), "1f44b");
  assert.equal(toEmojiName("❤️"), "2764");
  assert.equal(toEmojiName("👨‍🌾"), "1f468-200d-1f33e");
  assert.equal(toEmojiName("❤️‍🔥"), "2764-fe0f-200d-1f525");
});

test("an emoji is drawn in colour from @twemoji/svg", async () => {
  const png = await pngOf(new ImageResponse(box("👋"), { width: 100, height: 100 }));
  const plain = await pngOf(new ImageResponse(box(""), { width: 100, height: 100 }));
  // The waving hand is a yellow picture: far more bytes than a white square compresses to.
  assert.ok(png.length > plain.length + 500, `${png.length} vs ${plain.length}`);
});

test("the app's own fonts replace the default one", async () => {
  const data = await readFile(require.resolve("@fontsource/noto-sans/files/noto-sans-latin-700-normal.woff"));
  const bold = await pngOf(new ImageResponse(box("Bold"), { width: 200, height: 100, fonts: [{ name: "Noto Sans", data, weight: 700 }] }));
  const regular = await pngOf(new ImageResponse(box("Bold"), { width: 200, height: 100 }));
  assert.equal(bold.readUInt32BE(16), 200);
  assert.notDeepEqual(bold, regular);
});

test("bad options throw TND_ERR_OG_INVALID naming the option", () => {
  const cases: [unknown, RegExp][] = [
    [{ width: -1 }, /width must be an integer from 1 to 8192, got -1/],
    [{ height: "630" }, /height must be an integer from 1 to 8192, got "630"/],
    [{ emoji: "noto" }, /emoji "noto" is not available in Tandem/],
    [{ fonts: [] }, /fonts must be a non-empty array/],
    [{ fonts: [{ name: "A", data: "base64..." }] }, /fonts\[0\] \("A"\) needs its data as an ArrayBuffer/],
    [{ fonts: [{ name: "A", data: new ArrayBuffer(1), weight: 450 }] }, /weight must be 100, 200 \.\.\. 900/],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => new ImageResponse(box("x"), options as never), { code: "TND_ERR_OG_INVALID", message });
  }
});

test("unreadable font data fails the body with TND_ERR_OG_RENDER", async () => {
  const response = new ImageResponse(box("x"), { width: 10, height: 10, fonts: [{ name: "Broken", data: new Uint8Array([1, 2, 3]) }] });
  await assert.rejects(response.arrayBuffer(), (error: Error) => /TND_ERR_OG_RENDER/.test(String(error) + String(error.cause)));
});
