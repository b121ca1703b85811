// The parts of the pages feature that run without Vite: checks, cookies, metadata, codegen.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { forbidden, unauthorized } from "tandem/next-navigation";
import { notFound, redirect, type HttpError, cookies, currentRequest, headers, runWithRequestContext } from "tandem/server";
import { checkOrigin, formActionId, readBody } from "../../src/pages/action-request.js";
import { emitMetadataRoutes, emitPageData } from "../../src/pages/codegen.js";
import { controlOf } from "../../src/pages/control.js";
import { resolveMetadata, resolveViewport } from "../../src/pages/metadata.js";
import { iconSizes } from "../../src/build/icon-module.js";
import { toRobotsTxt, toSitemapXml } from "../../src/pages/metadata-routes.js";
import { checkReply } from "../../src/pages/reply-guard.js";
import { segmentValues } from "../../src/pages/tree.js";

const LIMITS = { maxDepth: 64, maxNodes: 20_000, maxChunks: 1_000 };

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as HttpError).code;
  }
  return undefined;
}

function form(fields: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

describe("reply guard", () => {
  test("accepts what React's encodeReply produces", () => {
    checkReply('["text",1,{"a":[true,null]},"$$escaped","$undefined","$D2026-01-01T00:00:00.000Z","$n12345"]', LIMITS);
    checkReply(form({ 0: '["$Q1","$@2","$K3"]', 1: '[["k","v"]]', 2: '"resolved"', "3_name": "raw text, not JSON" }), LIMITS);
    checkReply(form({ 0: '["$1:items:0"]', 1: '{"items":[{"x":1}]}' }), LIMITS);
  });

  test("refuses prototype walks, cycles, dangling references, unknown types and oversize input", () => {
    const bad: Array<string | FormData> = [
      '["$1:__proto__:then"]',
      '["$1:constructor:constructor"]',
      '[{"__proto__":{"x":1}}]',
      form({ 0: '["$1"]', 1: '["$0"]' }),
      form({ 0: '["$@0"]' }),
      form({ 0: '["$h1"]', 1: '["$Q2"]', 2: '["$1"]' }),
      '["$7"]',
      '["$Y1"]',
      '["$1zz"]',
      "{not json",
      "[".repeat(65) + "]".repeat(65),
      JSON.stringify(Array.from({ length: 20_001 }, () => 0)),
      form({ 1: "[]" }),
      form({ 0: "[]", constructor: "x" }),
    ];
    for (const body of bad) {
      assert.equal(
        code(() => checkReply(body, LIMITS)),
        "TND_ERR_ACTION_BAD_PAYLOAD",
        typeof body === "string" ? body.slice(0, 40) : "form",
      );
    }
  });

  test("a 100,000-deep payload is refused by the raw scan, before JSON.parse reads it", () => {
    // The scan stops at the first bracket past maxDepth; how fast that is belongs to bench/, not here.
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    assert.throws(
      () => checkReply(deep, LIMITS),
      (error: unknown) => (error as { code?: string }).code === "TND_ERR_ACTION_BAD_PAYLOAD" && /nests deeper than 64/.test(String(error)),
    );
  });
});

describe("action request checks", () => {
  const post = (headers: Record<string, string>, method = "POST") => new Request("https://app.example/p", { method, headers });

  test("Origin must be the app's or allow-listed; cross-site without Origin is refused", () => {
    assert.equal(
      code(() => checkOrigin(post({ origin: "https://app.example" }), {})),
      undefined,
    );
    assert.equal(
      code(() => checkOrigin(post({ origin: "https://evil.example" }), {})),
      "TND_ERR_ACTION_FORBIDDEN_ORIGIN",
    );
    assert.equal(
      code(() => checkOrigin(post({ origin: "https://admin.example" }), { allowedOrigins: ["https://admin.example"] })),
      undefined,
    );
    assert.equal(
      code(() => checkOrigin(post({ origin: "https://app.example.evil.com" }), {})),
      "TND_ERR_ACTION_FORBIDDEN_ORIGIN",
    );
    assert.equal(
      code(() => checkOrigin(post({ "sec-fetch-site": "cross-site" }), {})),
      "TND_ERR_ACTION_CROSS_SITE",
    );
    // Neither Origin nor Sec-Fetch-Site: no browser since 2019 sends such a POST, and a forged
    // one is what CSRF tokens exist for. Refused unless the app opts in.
    assert.equal(
      code(() => checkOrigin(post({}), {})),
      "TND_ERR_ACTION_NO_ORIGIN",
    );
    assert.equal(
      code(() => checkOrigin(post({}), { allowMissingOrigin: true })),
      undefined,
    );
    assert.equal(
      code(() => checkOrigin(post({ "sec-fetch-site": "same-origin" }), {})),
      undefined,
    );
    assert.equal(
      code(() => checkOrigin(post({ "sec-fetch-site": "same-site" }), {})),
      "TND_ERR_ACTION_CROSS_SITE",
    );
    assert.equal(
      code(() => checkOrigin(post({}, "PUT"), {})),
      "TND_ERR_ACTION_METHOD_NOT_ALLOWED",
    );
  });

  test("the body limit is exact", async () => {
    const body = (n: number) => new Request("https://app.example/", { method: "POST", body: "x".repeat(n) });
    assert.equal((await readBody(body(100), 100)).byteLength, 100);
    await assert.rejects(readBody(body(101), 100), (e: HttpError) => e.code === "TND_ERR_ACTION_TOO_LARGE" && e.status === 413);
  });

  test("form action ids are read from field names only", () => {
    assert.equal(formActionId(form({ "$ACTION_ID_abc#save": "", text: "x" })), "abc#save");
    assert.equal(formActionId(form({ $ACTION_REF_1: "", "$ACTION_1:0": '{"id":"abc#act","bound":"$@1"}' })), "abc#act");
    assert.equal(formActionId(form({ $ACTION_REF_1: "", "$ACTION_1:0": "{broken" })), "");
    assert.equal(formActionId(form({ text: "x" })), undefined);
  });
});

describe("request context", () => {
  test("cookies() reads, and set/delete become Set-Cookie headers with secure defaults", async () => {
    const request = new Request("https://app.example/a/b?x=1", { headers: { cookie: "a=1; b=two%20words" } });
    const response = await runWithRequestContext(
      request,
      async () => {
        const jar = await cookies();
        assert.deepEqual(jar.get("b"), { name: "b", value: "two words" });
        assert.equal(jar.has("a"), true);
        assert.equal(jar.getAll().length, 2);
        jar.set("session", "s1", { maxAge: 60 });
        jar.delete("a");
        assert.equal(jar.has("a"), false);
        assert.equal(currentRequest().url.pathname, "/a/b");
        assert.deepEqual(currentRequest().params, { id: "7" });
        return Response.redirect("https://app.example/", 303);
      },
      { params: { id: "7" }, phase: "action" },
    );
    const set = response.headers.getSetCookie();
    assert.equal(response.status, 303);
    assert.deepEqual(set, [
      "session=s1; Max-Age=60; Path=/; HttpOnly; SameSite=Lax",
      "a=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
    ]);
  });

  test("rendering may not set cookies; headers() is read-only; no context is a clear error", async () => {
    await runWithRequestContext(
      new Request("https://app.example/", { headers: { "x-a": "1" } }),
      async () => {
        const jar = await cookies();
        assert.throws(
          () => jar.set("x", "1"),
          (e: HttpError) => e.code === "TND_ERR_PAGES_COOKIES_READONLY",
        );
        const h = await headers();
        assert.equal(h.get("x-a"), "1");
        assert.throws(
          () => h.set("x-a", "2"),
          (e: HttpError) => e.code === "TND_ERR_PAGES_HEADERS_READONLY",
        );
      },
      { phase: "render" },
    );
    await assert.rejects(cookies(), (e: HttpError) => e.code === "TND_ERR_PAGES_NO_REQUEST_CONTEXT");
  });

  test("concurrent requests see their own context", async () => {
    const seen = await Promise.all(
      ["/one", "/two"].map((path, i) =>
        runWithRequestContext(new Request(`https://app.example${path}`), async () => {
          await new Promise((r) => setTimeout(r, 20 - i * 10));
          return currentRequest().url.pathname;
        }),
      ),
    );
    assert.deepEqual(seen, ["/one", "/two"]);
  });
});

describe("metadata", () => {
  test("layouts then page, title templates, generateMetadata with params", async () => {
    const resolved = await resolveMetadata(
      [
        { metadata: { title: { default: "Site", template: "%s | Site" }, description: "root" } },
        { generateMetadata: async ({ params }: { params: Promise<{ id: string }> }) => ({ title: `Board ${(await params).id}` }) },
      ],
      { params: Promise.resolve({ id: "9" }), searchParams: Promise.resolve({}) },
    );
    assert.deepEqual(resolved, { title: "Board 9 | Site", description: "root" });
  });

  test("sitemap and robots output; bad sitemap entries are a clear error", () => {
    assert.match(toSitemapXml([{ url: "https://a.example/<x>" }]), /<loc>https:\/\/a.example\/&lt;x&gt;<\/loc>/);
    assert.throws(
      () => toSitemapXml([{ url: "/relative" }]),
      (e: HttpError) => e.code === "TND_ERR_PAGES_INVALID_METADATA_ROUTE",
    );
    assert.throws(
      () => toSitemapXml({}),
      (e: HttpError) => e.code === "TND_ERR_PAGES_INVALID_METADATA_ROUTE",
    );
    assert.equal(toRobotsTxt({ rules: [{ userAgent: ["a", "b"], disallow: "/" }] }), "User-Agent: a\nUser-Agent: b\nDisallow: /\n");
  });

  test("viewport: the default, then each segment field by field; a non-object is a clear error", async () => {
    const props = { params: Promise.resolve({}), searchParams: Promise.resolve({}) };
    assert.deepEqual(await resolveViewport([{}, { viewport: { initialScale: 2, userScalable: false } }], props), {
      width: "device-width",
      initialScale: 2,
      userScalable: false,
    });
    // Next.js 13's place for them, a static metadata object, still works; the viewport export wins.
    assert.deepEqual(
      await resolveViewport(
        [{ metadata: { viewport: { maximumScale: 1 }, themeColor: "#000", colorScheme: "dark" } }, { viewport: { colorScheme: "light" } }],
        props,
      ),
      { width: "device-width", initialScale: 1, maximumScale: 1, themeColor: "#000", colorScheme: "light" },
    );
    await assert.rejects(
      resolveViewport([{ generateViewport: () => "wide" }], props),
      (e: HttpError) => e.code === "TND_ERR_PAGES_INVALID_MODULE" && /viewport must be an object/.test(e.message),
    );
  });

  test("icon sizes come from the file's header: PNG, ICO (0 is 256), SVG is any", () => {
    const ico = new Uint8Array([0, 0, 1, 0, 1, 0, 48, 48]);
    assert.equal(iconSizes(ico, ".ico"), "48x48");
    assert.equal(iconSizes(new Uint8Array([0, 0, 1, 0, 1, 0, 0, 0]), ".ico"), "256x256");
    assert.equal(iconSizes(new Uint8Array(4), ".png"), undefined);
    assert.equal(iconSizes(new Uint8Array(), ".svg"), "any");
    assert.equal(iconSizes(new Uint8Array(30), ".jpg"), undefined);
  });
});

describe("glue", () => {
  test("redirect()/notFound() errors are recognized by their digest", () => {
    for (const [fn, expected] of [
      [() => redirect("/x?y=1;z"), { kind: "redirect", url: "/x?y=1;z", status: 307 }],
      [() => notFound(), { kind: "notFound" }],
      [() => forbidden(), { kind: "denied", status: 403 }],
      [() => unauthorized(), { kind: "denied", status: 401 }],
    ] as const) {
      try {
        fn();
      } catch (error) {
        assert.deepEqual(controlOf(error), expected);
      }
    }
    assert.equal(controlOf(new Error("plain")), undefined);
  });

  test("segment values as useSelectedLayoutSegments() returns them", () => {
    const route = (...names: string[]) => ({ pattern: "/", page: {}, segments: ["", ...names].map((name) => ({ name })), icons: [] });
    assert.deepEqual(segmentValues(route("(shop)", "items", "[id]"), { id: "42" }), ["(shop)", "items", "42"]);
    assert.deepEqual(segmentValues(route("docs", "[...slug]"), { slug: ["a", "b"] }), ["docs", "a/b"]);
    assert.deepEqual(segmentValues(route("docs", "[[...slug]]"), {}), ["docs", ""]);
  });

  test("pageData for the server entry lists every segment's name and special files", () => {
    const code = emitPageData(
      {
        pattern: "/b/[id]",
        page: "/app/b/[id]/page.tsx",
        segments: [
          { dir: "/app", layout: "/app/layout.tsx", notFound: "/app/not-found.tsx" },
          { dir: "/app/b", template: "/app/b/template.tsx" },
          { dir: "/app/b/[id]", loading: "/app/b/[id]/loading.tsx", error: "/app/b/[id]/error.tsx" },
        ],
      },
      (file) => `m(${JSON.stringify(file)})`,
    );
    assert.equal(
      code,
      '{ segments: [{ name: "", layout: () => m("/app/layout.tsx"), notFound: () => m("/app/not-found.tsx") }, ' +
        '{ name: "b", template: () => m("/app/b/template.tsx") }, ' +
        '{ name: "[id]", loading: () => m("/app/b/[id]/loading.tsx"), error: () => m("/app/b/[id]/error.tsx") }], icons: [] }',
    );
    assert.equal(
      emitPageData({ pattern: "/api", route: "/app/api/route.ts", segments: [] }, () => "x"),
      undefined,
    );
  });
});

describe("server entry codegen", () => {
  test("sitemap and robots become routes of the server entry", () => {
    assert.deepEqual(
      emitMetadataRoutes({ sitemap: "/app/sitemap.ts", robots: "/app/robots.ts" }, (f) => `m(${JSON.stringify(f)})`),
      [
        '{ pattern: "/sitemap.xml", route: () => __tandemMetadataRoute("sitemap", () => m("/app/sitemap.ts")) }',
        '{ pattern: "/robots.txt", route: () => __tandemMetadataRoute("robots", () => m("/app/robots.ts")) }',
      ],
    );
    assert.deepEqual(
      emitMetadataRoutes({}, () => "x"),
      [],
    );
  });
});

describe("dependencies", () => {
  test("the Flight reply decoder is React's patched one (>= 19.2.1, CVE-2025-55182 and follow-ups)", async () => {
    const { createRequire } = await import("node:module");
    const require = createRequire(import.meta.url);
    const atLeast = (version: string): boolean => {
      const [major, minor, patch] = version.split(/[.-]/).map(Number) as [number, number, number];
      return major > 19 || (major === 19 && (minor > 2 || (minor === 2 && patch >= 1)));
    };
    // plugin-rsc uses react-server-dom-webpack when installed, its vendored copy otherwise. Tandem
    // no longer installs it (nothing else needs it); an app that adds it must bring a patched one.
    let installed: string | undefined;
    try {
      installed = (require("react-server-dom-webpack/package.json") as { version: string }).version;
    } catch {
      installed = undefined;
    }
    const pluginDir = require.resolve("@vitejs/plugin-rsc/package.json").replace(/package\.json$/, "");
    const vendored = (require(`${pluginDir}dist/vendor/react-server-dom/package.json`) as { version: string }).version;
    if (installed !== undefined) assert.ok(atLeast(installed), `react-server-dom-webpack ${installed}`);
    assert.ok(atLeast(vendored), `plugin-rsc's vendored react-server-dom ${vendored}`);
    assert.equal((require("@vitejs/plugin-rsc/package.json") as { version: string }).version, "0.5.38", "plugin-rsc is pinned");
  });
});
