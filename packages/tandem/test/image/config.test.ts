// next.config `images`: Next.js 16's defaults, each invalid value named, the remote and local
// patterns' globs, and the srcset widths Next.js picks.
import assert from "node:assert/strict";
import { test } from "node:test";
import { IMAGE_DEFAULTS, toClientImageConfig, toImageConfig } from "../../src/image/config.js";
import { widthsOf } from "../../src/image/img-props.js";
import { isLocalAllowed, isRemoteAllowed } from "../../src/image/patterns.js";

const fail = (message: string) => new Error(message);

test("Next.js 16's defaults", () => {
  const config = toImageConfig(undefined, fail);
  assert.deepEqual(config.imageSizes, [32, 48, 64, 96, 128, 256, 384]);
  assert.deepEqual(config.deviceSizes, [640, 750, 828, 1080, 1200, 1920, 2048, 3840]);
  assert.deepEqual(config.qualities, [75]);
  assert.deepEqual(config.formats, ["image/webp"]);
  assert.equal(config.minimumCacheTTL, 14_400);
  assert.equal(config.dangerouslyAllowLocalIP, false);
  assert.equal(config.contentDispositionType, "attachment");
  assert.equal(config.maximumRedirects, 3);
  assert.deepEqual(config, { ...IMAGE_DEFAULTS });
});

test("an invalid value is named", () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ deviceSizes: [] }, /"images.deviceSizes" must be an array of 1 to 25 integers/],
    [{ imageSizes: [16, -1] }, /"images.imageSizes" holds -1/],
    [{ qualities: [101] }, /"images.qualities" holds 101; each must be an integer from 1 to 100/],
    [{ formats: ["image/png"] }, /"images.formats" holds "image\/png"/],
    [{ minimumCacheTTL: -5 }, /"images.minimumCacheTTL" must be an integer of 0 or more/],
    [{ remotePatterns: [{ hostname: "" }] }, /"images.remotePatterns\[0\].hostname"/],
    [{ remotePatterns: [{ hostname: "a.com", protocol: "ftp" }] }, /"http" or "https"/],
    [{ remotePatterns: ["not a url"] }, /"images.remotePatterns\[0\]" is not a URL/],
    [{ localPatterns: [{ pathname: "assets/**" }] }, /starting with "\/"/],
    [{ unoptimized: "yes" }, /"images.unoptimized" must be true or false/],
    [{ disableStaticImages: 1 }, /"images.disableStaticImages" must be true or false/],
    [{ contentDispositionType: "download" }, /"inline" or "attachment"/],
  ];
  for (const [raw, message] of cases) assert.throws(() => toImageConfig(raw, fail), message, JSON.stringify(raw));
});

test("keys Tandem does not act on are reported, and sizes are sorted", () => {
  const notes: string[] = [];
  const config = toImageConfig({ loader: "cloudinary", path: "/img", deviceSizes: [1200, 640, 640] }, fail, (line) => notes.push(line));
  assert.deepEqual(config.deviceSizes, [640, 1200]);
  assert.equal(notes.length, 2);
  assert.match(notes[0]!, /"images.loader" is only the default loader exists/);
  assert.match(notes[1]!, /"images.path" is not read: the endpoint is always \/_tandem\/image/);
});

test("remotePatterns: * is one label or segment, ** any number; protocol, port and search must match", () => {
  const config = toImageConfig(
    {
      remotePatterns: [
        { protocol: "https", hostname: "*.example.com", pathname: "/photos/*" },
        { hostname: "**.cdn.net", port: "8443", pathname: "/a/**" },
        { hostname: "s.io", search: "?v=1" },
        "https://u.io/img/**",
      ],
      domains: ["legacy.org"],
    },
    fail,
  );
  const allowed = (url: string) => isRemoteAllowed(config, new URL(url));
  assert.equal(allowed("https://www.example.com/photos/a.jpg"), true);
  assert.equal(allowed("http://www.example.com/photos/a.jpg"), false);
  assert.equal(allowed("https://a.b.example.com/photos/a.jpg"), false);
  assert.equal(allowed("https://example.com/photos/a.jpg"), false);
  assert.equal(allowed("https://www.example.com/photos/x/a.jpg"), false);
  assert.equal(allowed("https://x.y.cdn.net:8443/a/b/c.png"), true);
  assert.equal(allowed("https://x.cdn.net/a/b.png"), false);
  assert.equal(allowed("https://s.io/a.png?v=1"), true);
  assert.equal(allowed("https://s.io/a.png?v=2"), false);
  assert.equal(allowed("https://u.io/img/a/b.png"), true);
  assert.equal(allowed("https://u.io/other.png"), false);
  assert.equal(allowed("https://legacy.org/any/path.png"), true);
  assert.equal(allowed("https://evil.com/https://www.example.com/photos/a.jpg"), false);
});

test("localPatterns: unset allows every path, set allows only matches", () => {
  assert.equal(isLocalAllowed(toImageConfig(undefined, fail), new URL("http://n/anything.png")), true);
  const config = toImageConfig({ localPatterns: [{ pathname: "/assets/**", search: "" }] }, fail);
  assert.equal(isLocalAllowed(config, new URL("http://n/assets/a/b.png")), true);
  assert.equal(isLocalAllowed(config, new URL("http://n/assets/a.png?x=1")), false);
  assert.equal(isLocalAllowed(config, new URL("http://n/private/a.png")), false);
});

test("srcset widths as Next.js picks them", () => {
  const config = toClientImageConfig(toImageConfig(undefined, fail));
  assert.deepEqual(widthsOf(config, 400, undefined), { widths: [640, 828], kind: "x" });
  assert.deepEqual(widthsOf(config, 32, undefined), { widths: [32, 64], kind: "x" });
  // Larger than every size: the largest, once.
  assert.deepEqual(widthsOf(config, 5000, undefined), { widths: [3840], kind: "x" });
  assert.deepEqual(widthsOf(config, undefined, undefined), { widths: config.deviceSizes, kind: "w" });
  assert.deepEqual(widthsOf(config, 400, "(max-width: 768px) 100vw, 33vw").widths, [256, 384, 640, 750, 828, 1080, 1200, 1920, 2048, 3840]);
  // sizes without vw: every size.
  assert.equal(widthsOf(config, 400, "300px").widths.length, 15);
});
