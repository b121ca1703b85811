// next/og's ImageResponse in a route handler in every mode: a real PNG of the asked size, the
// options as in Next.js, and a clear error for bad input, after which the server keeps serving.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { inflateSync } from "node:zlib";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";

const project = createProject({
  "app/og/route.tsx": `import { ImageResponse } from "next/og";

export function GET(request: Request) {
  const url = new URL(request.url);
  const size = (name: string) => (url.searchParams.has(name) ? Number(url.searchParams.get(name)) : undefined);
  return new ImageResponse(
    (
      <div style={{ display: "flex", width: "100%", height: "100%", alignItems: "center", justifyContent: "center", background: "#101820", color: "#fee715", fontSize: 48 }}>
        {url.searchParams.get("title") ?? "Hello"} 👋
      </div>
    ),
    { width: size("w"), height: size("h") },
  );
}
`,
  // next/server still exports ImageResponse, and status and headers reach the response.
  "app/og/legacy/route.tsx": `import { ImageResponse } from "next/server";

export function GET() {
  return new ImageResponse(<div style={{ display: "flex", background: "white", width: "100%", height: "100%" }}>legacy</div>, {
    width: 64,
    height: 32,
    status: 201,
    headers: { "cache-control": "public, max-age=60", "x-og": "yes" },
  });
}
`,
  "app/og/broken/route.tsx": `import { ImageResponse } from "next/og";

export function GET() {
  return new ImageResponse(<div style={{ display: "flex" }}><img src="not-a-url" /></div>, { width: 100, height: 100 });
}
`,
  "app/og/not-jsx/route.ts": `import { ImageResponse } from "next/og";

export function GET() {
  return new ImageResponse("<div>hello</div>" as never);
}
`,
});
// Next.js's generated icons: app/icon.tsx and app/apple-icon.tsx, linked in every page's <head>.
const icons = createProject({
  "app/icon.tsx": `import { ImageResponse } from "next/og";

export const size = { width: 32, height: 32 };
export const contentType = "image/png";

export default function Icon() {
  return new ImageResponse(<div style={{ display: "flex", width: "100%", height: "100%", background: "#e11" }} />, size);
}
`,
  "app/apple-icon.tsx": `import { ImageResponse } from "next/og";

export const size = { width: 180, height: 180 };

export default async function AppleIcon({ params }: { params: Promise<Record<string, string>> }) {
  const values = await params;
  return new ImageResponse(<div style={{ display: "flex", width: "100%", height: "100%", background: "#111" }}>{Object.keys(values).length}</div>, size);
}
`,
  "app/opengraph-image.tsx": `import { ImageResponse } from "next/og";

export const alt = "The Tandem card";
export const size = { width: 600, height: 315 };

export default function Card() {
  return new ImageResponse(<div style={{ display: "flex", width: "100%", height: "100%", background: "#036" }}>Tandem</div>, size);
}
`,
  "app/twitter-image.tsx": `import { ImageResponse } from "next/og";

export default function Card() {
  return new ImageResponse(<div style={{ display: "flex", width: "100%", height: "100%", background: "#09f" }} />, { width: 300, height: 150 });
}
`,
  "app/layout.tsx": `import type { ReactNode } from "react";

export default function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
`,
  "app/page.tsx": `export const metadata = { title: "Home", openGraph: { images: ["/replaced-by-the-file.png"] } };

export default function Home() {
  return <p>home</p>;
}
`,
});
after(() => {
  project.remove();
  icons.remove();
});

/** The PNG's width, height and pixels (RGBA rows), read from its IHDR and IDAT chunks. */
function readPng(bytes: Uint8Array): { width: number; height: number; colorType: number; data: Buffer } {
  const png = Buffer.from(bytes);
  assert.equal(png.subarray(0, 8).toString("hex"), "89504e470d0a1a0a", "PNG signature");
  assert.equal(png.toString("latin1", 12, 16), "IHDR");
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    if (png.toString("latin1", at + 4, at + 8) === "IDAT") idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colorType: png[25]!, data: inflateSync(Buffer.concat(idat)) };
}

describeModes("ImageResponse (next/og)", project.root, (app, mode) => {
  test("a route handler answers a PNG of the asked size, drawn from its JSX", async () => {
    const response = await app().fetch("/og?w=400&h=210&title=Tandem");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "image/png");
    assert.equal(
      response.headers.get("cache-control"),
      mode === "dev" ? "no-cache, no-store" : "public, immutable, no-transform, max-age=31536000",
    );
    const png = readPng(new Uint8Array(await response.arrayBuffer()));
    assert.equal(png.width, 400);
    assert.equal(png.height, 210);
    // Not a blank canvas: the background colour and the text's differ across the pixels.
    assert.ok(new Set(png.data).size > 10);
  });

  test("1200 x 630 by default, as in Next.js", async () => {
    const png = readPng(new Uint8Array(await (await app().fetch("/og")).arrayBuffer()));
    assert.deepEqual([png.width, png.height], [1200, 630]);
  });

  test("from next/server: status and headers as given", async () => {
    const response = await app().fetch("/og/legacy");
    assert.equal(response.status, 201);
    assert.equal(response.headers.get("cache-control"), "public, max-age=60");
    assert.equal(response.headers.get("x-og"), "yes");
    const png = readPng(new Uint8Array(await response.arrayBuffer()));
    assert.deepEqual([png.width, png.height], [64, 32]);
  });

  test("a bad size or a non-element is a 500 whose log names it; the server keeps serving", async () => {
    for (const path of ["/og?w=0", "/og?h=100000", "/og?w=12.5", "/og/not-jsx"]) {
      const response = await app().fetch(path);
      assert.equal(response.status, 500, path);
      await response.arrayBuffer();
    }
    if (mode !== "memory") {
      const output = await app().waitForOutput(/the first argument must be a React element/);
      assert.match(output, /width must be an integer from 1 to 8192, got 0 \[TND_ERR_OG_INVALID\]/);
      assert.match(output, /height must be an integer from 1 to 8192, got 100000/);
      assert.match(output, /the first argument must be a React element/);
    }
    assert.equal((await app().fetch("/og?w=10&h=10")).status, 200);
  });

  test("markup satori refuses fails the response, not the process", async () => {
    const response = await app().fetch("/og/broken");
    // The server answers 500 when the failure comes before the first bytes would have gone out
    // (it waits one turn for them), else it cuts the connection: never a 200 with a half image.
    const outcome = await response.arrayBuffer().then(
      () => response.status,
      () => "cut",
    );
    assert.ok(outcome === 500 || outcome === "cut", `got ${outcome}`);
    if (mode !== "memory") await app().waitForOutput(/Image source must be an absolute URL: not-a-url/);
    const next = await app().fetch("/og?w=20&h=20");
    assert.equal(readPng(new Uint8Array(await next.arrayBuffer())).width, 20);
  });
});

describeModes("generated images: app/icon.tsx, apple-icon.tsx, opengraph-image.tsx, twitter-image.tsx", icons.root, (app) => {
  test("each is served as a PNG of its size and linked in <head> with a hashed URL", async () => {
    const html = await (await app().fetch("/")).text();
    const icon = /<link rel="icon" href="(\/icon\?[0-9a-f]{16})" type="image\/png" sizes="32x32"\/>/.exec(html);
    const apple = /<link rel="apple-touch-icon" href="(\/apple-icon\?[0-9a-f]{16})" type="image\/png" sizes="180x180"\/>/.exec(html);
    assert.ok(icon, html);
    assert.ok(apple, html);
    for (const [href, side] of [
      [icon[1]!, 32],
      [apple[1]!, 180],
    ] as const) {
      const response = await app().fetch(href);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), "image/png");
      const png = readPng(new Uint8Array(await response.arrayBuffer()));
      assert.deepEqual([png.width, png.height], [side, side]);
    }
  });
});

describeModes("generated images: og:image and twitter:image tags", icons.root, (app) => {
  test("opengraph-image.tsx replaces openGraph.images; twitter-image.tsx makes a large card", async () => {
    const html = await (await app().fetch("/")).text();
    const origin = await app().origin();
    const og = /<meta property="og:image" content="([^"]+)"\/>/.exec(html);
    assert.ok(og, html);
    assert.match(og[1]!, new RegExp(`^${origin.replaceAll(".", "\\.")}/opengraph-image\\?[0-9a-f]{16}$`));
    assert.match(html, /<meta property="og:image:width" content="600"\/><meta property="og:image:height" content="315"\/>/);
    assert.match(html, /<meta property="og:image:alt" content="The Tandem card"\/>/);
    assert.doesNotMatch(html, /replaced-by-the-file/);
    assert.match(html, /<meta name="twitter:card" content="summary_large_image"\/>/);
    const twitter = /<meta name="twitter:image" content="([^"]+)"\/>/.exec(html);
    assert.ok(twitter, html);
    const card = readPng(new Uint8Array(await (await app().fetch(new URL(og[1]!).pathname + new URL(og[1]!).search)).arrayBuffer()));
    assert.deepEqual([card.width, card.height], [600, 315]);
    const small = readPng(
      new Uint8Array(await (await app().fetch(new URL(twitter[1]!).pathname + new URL(twitter[1]!).search)).arrayBuffer()),
    );
    assert.deepEqual([small.width, small.height], [300, 150]);
  });
});
