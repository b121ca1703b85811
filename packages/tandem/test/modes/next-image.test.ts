// next/image and its optimizing endpoint (/_tandem/image) in every mode: real images made with
// sharp here, a remote host served by a local HTTP server, the component's HTML against what
// Next.js writes for the same props, and Chromium decoding the optimized image.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { chromium, type Browser } from "playwright-core";
import sharp from "sharp";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";
import { CHROMIUM, CHROMIUM_ARGS, needChromium } from "tandem-test-support/services";

const photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 200, g: 40, b: 90 } } })
  .png()
  .toBuffer();
const remoteJpeg = await sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 10, g: 120, b: 200 } } })
  .jpeg()
  .toBuffer();

// The remote image host: /allowed/ is in remotePatterns, the rest is not.
const remote: Server = createServer((req, res) => {
  const port = (remote.address() as AddressInfo).port;
  if (req.url === "/allowed/photo.jpg") {
    res.writeHead(200, { "content-type": "image/jpeg", "cache-control": "public, max-age=60" });
    res.end(remoteJpeg);
  } else if (req.url === "/allowed/moved.jpg") {
    // To a host the patterns do not allow (localhost is not 127.0.0.1 to them).
    res.writeHead(302, { location: `http://localhost:${port}/allowed/photo.jpg` });
    res.end();
  } else if (req.url === "/allowed/also.jpg") {
    res.writeHead(301, { location: "/allowed/photo.jpg" });
    res.end();
  } else if (req.url === "/allowed/huge.jpg") {
    // More than maximumResponseBody, without a Content-Length: the limit applies while reading.
    res.writeHead(200, { "content-type": "image/jpeg" });
    const chunk = Buffer.alloc(256 * 1024, 1);
    let sent = 0;
    const send = () => {
      while (sent < 16 && res.write(chunk)) sent++;
      if (sent >= 16) res.end();
      else res.once("drain", send);
    };
    send();
  } else {
    res.writeHead(200, { "content-type": "image/jpeg" });
    res.end(remoteJpeg);
  }
});
await new Promise<void>((resolve) => remote.listen(0, "127.0.0.1", resolve));
const remotePort = (remote.address() as AddressInfo).port;
const remoteBase = `http://127.0.0.1:${remotePort}`;

const project = createProject({
  "package.json": JSON.stringify({ name: "image-app", private: true, type: "module" }),
  "next.config.mjs": `export default {
  images: {
    formats: ["image/avif", "image/webp"],
    qualities: [75, 90],
    remotePatterns: [{ protocol: "http", hostname: "127.0.0.1", port: "${remotePort}", pathname: "/allowed/**" }],
    // The remote host of this test is on the loopback interface.
    dangerouslyAllowLocalIP: true,
    maximumResponseBody: 2000000,
  },
};
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
  "app/page.tsx": `import Image, { getImageProps } from "next/image";
import hero from "../images/hero.png";

export default function Page() {
  const { props } = getImageProps({ src: "/photo.png", alt: "art", width: 100, height: 75, quality: 90 });
  return (
    <main>
      <Image id="hero" src="/photo.png" alt="Hero" width={400} height={300} priority />
      <Image id="lazy" src="/photo.png" alt="Lazy" width={200} height={150} className="thumb" quality={88} />
      <div style={{ position: "relative", width: 320, height: 240 }}>
        <Image id="fill" src="/photo.png" alt="Fill" fill sizes="50vw" style={{ objectFit: "cover" }} />
      </div>
      <Image id="remote" src="${remoteBase}/allowed/photo.jpg" alt="Remote" width={600} height={400} />
      <Image id="logo" src="/logo.svg" alt="Logo" width={64} height={64} />
      <Image id="blur" src="/photo.png" alt="Blur" width={40} height={30} placeholder="blur" blurDataURL="data:image/png;base64,iVBORw0KGgo=" />
      <picture>
        <img id="art" {...props} />
      </picture>
      <Image id="static" src={hero} alt="Static" placeholder="blur" />
      <span id="static-data">{JSON.stringify({ ...hero, src: typeof hero.src, blurDataURL: hero.blurDataURL?.slice(0, 22) })}</span>
    </main>
  );
}
`,
});
project.write("public/notimage.png", "this is plain text, not a PNG");
project.write("public/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
writeFileSync(join(project.root, "public/photo.png"), photo);
mkdirSync(join(project.root, "images"));
writeFileSync(join(project.root, "images/hero.png"), photo);

// images.unoptimized: the component writes src as given, the endpoint passes images on unchanged.
const plain = createProject({
  "package.json": JSON.stringify({ name: "image-plain", private: true, type: "module" }),
  "next.config.mjs": "export default { images: { unoptimized: true } };\n",
  "app/layout.tsx": `export default function Layout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
`,
  "app/page.tsx": `import Image from "next/image";

export default function Page() {
  return <Image id="plain" src="/photo.png" alt="Plain" width={400} height={300} />;
}
`,
});
mkdirSync(join(plain.root, "public"));
writeFileSync(join(plain.root, "public/photo.png"), photo);

let browser: Browser | undefined;
after(async () => {
  await browser?.close();
  remote.close();
  project.remove();
  plain.remove();
});

const image = (query: string) => `/_tandem/image?${query}`;
const local = (w: number, q = 75) => image(`url=%2Fphoto.png&w=${w}&q=${q}`);

/** The attributes of the tag with this id in the server HTML. */
function attributesOf(html: string, id: string): Record<string, string> {
  const tag = new RegExp(`<img[^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0];
  assert.ok(tag, `no <img id="${id}"> in the page`);
  const out: Record<string, string> = {};
  for (const [, name, value] of tag.matchAll(/\s([\w-]+)(?:="([^"]*)")?/g))
    out[name!.toLowerCase()] = (value ?? "").replaceAll("&#x27;", "'").replaceAll("&amp;", "&");
  return out;
}

async function errorOf(response: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  return { status: response.status, code: body.error.code, message: body.error.message };
}

describeModes("next/image", project.root, (app, mode) => {
  test("the <img> Next.js renders for the same props", async () => {
    const html = await (await app().fetch("/")).text();
    // Next.js: width 400 -> the configured sizes covering 1x and 2x (640, 828), "x" descriptors,
    // src the largest; priority -> eager (no loading attribute) and fetchpriority high.
    assert.deepEqual(attributesOf(html, "hero"), {
      id: "hero",
      alt: "Hero",
      fetchpriority: "high",
      width: "400",
      height: "300",
      decoding: "async",
      "data-nimg": "1",
      style: "color:transparent",
      srcset: `${local(640)} 1x, ${local(828)} 2x`,
      src: local(828),
    });
    // Lazy by default; quality rounded to the closest allowed one (88 -> 90); 200 -> 256, 400 -> 640.
    const lazy = attributesOf(html, "lazy");
    assert.equal(lazy.loading, "lazy");
    assert.equal(lazy.class, "thumb");
    assert.equal(lazy.srcset, `${local(256, 90)} 1x, ${local(640, 90)} 2x`);
    // fill with sizes="50vw": every size from 50% of the smallest device size (320) up, "w" descriptors.
    const fill = attributesOf(html, "fill");
    assert.equal(fill["data-nimg"], "fill");
    assert.equal(fill.sizes, "50vw");
    assert.equal(fill.width, undefined);
    assert.equal(fill.srcset, [384, 640, 750, 828, 1080, 1200, 1920, 2048, 3840].map((w) => `${local(w)} ${w}w`).join(", "));
    assert.equal(fill.src, local(3840));
    assert.equal(fill.style, "position:absolute;height:100%;width:100%;left:0;top:0;right:0;bottom:0;object-fit:cover;color:transparent");
    // A remote src goes through the endpoint too; an SVG is served as it is.
    assert.equal(attributesOf(html, "remote").src, image(`url=${encodeURIComponent(`${remoteBase}/allowed/photo.jpg`)}&w=1200&q=75`));
    assert.deepEqual([attributesOf(html, "logo").src, attributesOf(html, "logo").srcset], ["/logo.svg", undefined]);
    // placeholder="blur": the blurred SVG behind the image until it loads.
    assert.match(
      attributesOf(html, "blur").style ?? "",
      /background-size:cover;background-position:50% 50%;background-repeat:no-repeat;background-image:url\(&quot;data:image\/svg\+xml;charset=utf-8,%3Csvg/,
    );
    // getImageProps in a Server Component.
    assert.equal(attributesOf(html, "art").srcset, `${local(128, 90)} 1x, ${local(256, 90)} 2x`);
    // priority preloads the image from the head.
    assert.match(
      html,
      /<head>.*<link rel="preload" as="image" fetchPriority="high" imageSrcSet="\/_tandem\/image\?url=%2Fphoto.png&amp;w=640&amp;q=75 1x, [^"]*w=828&amp;q=75 2x"\/>.*<\/head>/,
    );
  });

  test("a static image import gives { src, width, height, blurDataURL } as in Next.js", async () => {
    const html = await (await app().fetch("/")).text();
    const data = JSON.parse((/id="static-data">([^<]*)</.exec(html)?.[1] ?? "").replaceAll("&quot;", '"'));
    assert.deepEqual(data, { src: "string", width: 800, height: 600, blurDataURL: "data:image/png;base64,", blurWidth: 8, blurHeight: 6 });
    const img = attributesOf(html, "static");
    // The file's own size; 800 -> 828 at 1x, 1600 -> 1920 at 2x; the blur placeholder until it loads.
    assert.deepEqual([img.width, img.height], ["800", "600"]);
    const [one] = (img.srcset ?? "").split(" ");
    assert.match(one ?? "", /^\/_tandem\/image\?url=[^&]+&w=828&q=75$/);
    assert.match(img.srcset ?? "", /&w=1920&q=75 2x$/);
    assert.match(
      img.style ?? "",
      /background-image:url\(&quot;data:image\/svg\+xml;charset=utf-8,%3Csvg xmlns='http:\/\/www.w3.org\/2000\/svg' viewBox='0 0 320 240'/,
    );
    const optimized = await app().fetch(one!, { headers: { accept: "image/webp" } });
    assert.equal(optimized.status, 200, await optimized.clone().text());
    assert.equal((await sharp(Buffer.from(await optimized.arrayBuffer())).metadata()).width, 800);
  });

  test("the endpoint resizes and picks the format from Accept and images.formats", async () => {
    const avif = await app().fetch(local(640), { headers: { accept: "image/avif,image/webp,*/*" } });
    assert.equal(avif.status, 200);
    assert.equal(avif.headers.get("content-type"), "image/avif");
    assert.equal(avif.headers.get("vary"), "Accept");
    assert.equal(avif.headers.get("cache-control"), "public, max-age=14400, must-revalidate");
    const avifMeta = await sharp(Buffer.from(await avif.arrayBuffer())).metadata();
    assert.equal(avifMeta.width, 640);
    assert.equal(avifMeta.height, 480);
    const webp = await app().fetch(local(384), { headers: { accept: "image/webp,*/*" } });
    assert.equal(webp.headers.get("content-type"), "image/webp");
    assert.equal((await sharp(Buffer.from(await webp.arrayBuffer())).metadata()).format, "webp");
    // Neither accepted: the original's type, resized.
    const png = await app().fetch(local(256), { headers: { accept: "image/png" } });
    assert.equal(png.headers.get("content-type"), "image/png");
    assert.equal((await sharp(Buffer.from(await png.arrayBuffer())).metadata()).width, 256);
    // Never enlarged past the original.
    const big = await app().fetch(local(1080), { headers: { accept: "image/webp" } });
    assert.equal((await sharp(Buffer.from(await big.arrayBuffer())).metadata()).width, 800);
  });

  test("a cache miss, a hit, a 304 and a stale entry made again", async () => {
    const cacheDir = join(project.root, ".tandem/cache/images");
    rmSync(cacheDir, { recursive: true, force: true });
    const url = local(750, 90);
    const accept = { accept: "image/webp" };
    const first = await app().fetch(url, { headers: accept });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get("x-tandem-cache"), "MISS");
    const body = Buffer.from(await first.arrayBuffer());
    const second = await app().fetch(url, { headers: accept });
    assert.equal(second.headers.get("x-tandem-cache"), "HIT");
    assert.deepEqual(Buffer.from(await second.arrayBuffer()), body);
    const etag = second.headers.get("etag");
    assert.match(etag ?? "", /^"[\w-]+"$/);
    const revalidated = await app().fetch(url, { headers: { ...accept, "if-none-match": etag! } });
    assert.equal(revalidated.status, 304);
    // Another Accept is another entry.
    assert.equal((await app().fetch(url, { headers: { accept: "image/avif" } })).headers.get("x-tandem-cache"), "MISS");
    // Expired on disk: served stale at once, then made again in the background.
    for (const file of readdirSync(cacheDir).filter((name) => name.endsWith(".json"))) {
      const meta = JSON.parse(readFileSync(join(cacheDir, file), "utf8"));
      writeFileSync(join(cacheDir, file), JSON.stringify({ ...meta, expireAt: 0 }));
    }
    assert.equal((await app().fetch(url, { headers: accept })).headers.get("x-tandem-cache"), "STALE");
    let status: string | null = "STALE";
    for (let i = 0; i < 50 && status !== "HIT"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await app().fetch(url, { headers: accept })).headers.get("x-tandem-cache");
    }
    assert.equal(status, "HIT");
  });

  test("bad requests get a 4xx with a code and the server keeps serving", async () => {
    const cases: [string, number, string, RegExp][] = [
      [image("w=640&q=75"), 400, "TND_ERR_IMAGE_URL", /"url" parameter is required/],
      [image("url=%2F%2Fevil.example%2Fa.png&w=640&q=75"), 400, "TND_ERR_IMAGE_URL", /protocol-relative/],
      [image("url=ftp%3A%2F%2Fhost%2Fa.png&w=640&q=75"), 400, "TND_ERR_IMAGE_URL", /http or https/],
      [image("url=%2F_tandem%2Fimage%3Furl%3D%2Fphoto.png&w=640&q=75"), 400, "TND_ERR_IMAGE_URL", /itself/],
      [local(123), 400, "TND_ERR_IMAGE_WIDTH", /must be one of .*640/],
      [image("url=%2Fphoto.png&q=75"), 400, "TND_ERR_IMAGE_WIDTH", /"w" parameter/],
      [local(640, 50), 400, "TND_ERR_IMAGE_QUALITY", /must be one of images.qualities: 75, 90/],
      [image("url=%2Fnotimage.png&w=640&q=75"), 400, "TND_ERR_IMAGE_NOT_IMAGE", /not an image/],
      [image("url=%2Flogo.svg&w=640&q=75"), 400, "TND_ERR_IMAGE_SVG", /dangerouslyAllowSVG/],
      [image("url=%2Fmissing.png&w=640&q=75"), 404, "TND_ERR_IMAGE_UPSTREAM", /answered 404/],
      [image(`url=${encodeURIComponent(`${remoteBase}/other/photo.jpg`)}&w=640&q=75`), 400, "TND_ERR_IMAGE_NOT_ALLOWED", /remotePatterns/],
      [image(`url=${encodeURIComponent("https://example.com/a.jpg")}&w=640&q=75`), 400, "TND_ERR_IMAGE_NOT_ALLOWED", /remotePatterns/],
      [
        image(`url=${encodeURIComponent(`${remoteBase}/allowed/moved.jpg`)}&w=640&q=75`),
        400,
        "TND_ERR_IMAGE_NOT_ALLOWED",
        /redirects to http:\/\/localhost/,
      ],
      [
        image(`url=${encodeURIComponent(`${remoteBase}/allowed/huge.jpg`)}&w=640&q=75`),
        413,
        "TND_ERR_IMAGE_TOO_LARGE",
        /maximumResponseBody/,
      ],
    ];
    for (const [url, status, code, message] of cases) {
      const response = await app().fetch(url);
      const error = await errorOf(response);
      assert.deepEqual([error.status, error.code], [status, code], `${url}: ${error.message}`);
      assert.match(error.message, message);
      assert.equal(response.headers.get("cache-control"), "no-store");
    }
    assert.equal((await app().fetch(local(640))).status, 200);
  });

  test("a remote image allowed by remotePatterns, also through an allowed redirect", async () => {
    for (const path of ["/allowed/photo.jpg", "/allowed/also.jpg"]) {
      const response = await app().fetch(image(`url=${encodeURIComponent(remoteBase + path)}&w=828&q=75`), {
        headers: { accept: "image/webp" },
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), "image/webp");
      assert.equal((await sharp(Buffer.from(await response.arrayBuffer())).metadata()).width, 828);
    }
  });

  if (mode !== "memory") {
    test("Chromium shows the optimized image", async (t) => {
      if (!(await needChromium(t))) return;
      browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
      const page = await browser.newPage({ deviceScaleFactor: 1 });
      try {
        await page.goto(`${await app().origin()}/`);
        const hero = page.locator("#hero");
        await hero.evaluate((img: HTMLImageElement) =>
          img.complete ? undefined : new Promise((resolve) => img.addEventListener("load", resolve, { once: true })),
        );
        const seen = await hero.evaluate((img: HTMLImageElement) => ({ width: img.naturalWidth, src: img.currentSrc }));
        // 1x on a DPR 1 screen: the 640 px version, decoded.
        assert.deepEqual(seen, { width: 640, src: `${await app().origin()}${local(640)}` });
      } finally {
        await page.close();
      }
    });
  }
});

describeModes("next/image with images.unoptimized", plain.root, (app) => {
  test("the src as given, and the endpoint passes the image on unchanged", async () => {
    const img = attributesOf(await (await app().fetch("/")).text(), "plain");
    assert.deepEqual([img.src, img.srcset, img.sizes, img.loading], ["/photo.png", undefined, undefined, "lazy"]);
    const response = await app().fetch(local(640), { headers: { accept: "image/avif,image/webp" } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "image/png");
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), photo);
  });
});
