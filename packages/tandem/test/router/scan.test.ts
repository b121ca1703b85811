import assert from "node:assert/strict";
import { symlink } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { scanApp } from "../../src/router/scan.js";
import { scanError, scanTree, withTree } from "./tree.js";

describe("scanApp: what it collects", () => {
  it("routes, pages, sockets and per-segment files, in matching order", async () => {
    await withTree(
      [
        "app/layout.tsx",
        "app/page.tsx",
        "app/not-found.tsx",
        "app/(shop)/layout.tsx",
        "app/(shop)/products/[id]/page.tsx",
        "app/(shop)/products/[id]/loading.tsx",
        "app/(shop)/products/[id]/error.tsx",
        "app/(shop)/products/[id]/template.tsx",
        "app/(shop)/products/new/page.tsx",
        "app/api/boards/[id]/route.ts",
        "app/chat/page.tsx",
        "app/chat/socket.ts",
        "app/docs/[...slug]/page.tsx",
        "app/settings/layout.tsx",
        "app/.well-known/security.txt/route.ts",
      ],
      async (root) => {
        const app = await scanApp(root);
        assert.equal(app.root, root);
        assert.equal(app.appDir, join(root, "app"));
        assert.deepEqual(
          app.routes.map((r) => r.pattern),
          ["/", "/.well-known/security.txt", "/api/boards/[id]", "/chat", "/docs/[...slug]", "/products/new", "/products/[id]"],
        );
        const product = app.routes.find((r) => r.pattern === "/products/[id]")!;
        assert.equal(product.page, join(root, "app/(shop)/products/[id]/page.tsx"));
        assert.equal(product.route, undefined);
        assert.deepEqual(product.segments, [
          { dir: join(root, "app"), layout: join(root, "app/layout.tsx"), notFound: join(root, "app/not-found.tsx") },
          { dir: join(root, "app/(shop)"), layout: join(root, "app/(shop)/layout.tsx") },
          { dir: join(root, "app/(shop)/products") },
          {
            dir: join(root, "app/(shop)/products/[id]"),
            loading: join(root, "app/(shop)/products/[id]/loading.tsx"),
            error: join(root, "app/(shop)/products/[id]/error.tsx"),
            template: join(root, "app/(shop)/products/[id]/template.tsx"),
          },
        ]);
        const chat = app.routes.find((r) => r.pattern === "/chat")!;
        assert.equal(chat.page, join(root, "app/chat/page.tsx"));
        assert.equal(chat.socket, join(root, "app/chat/socket.ts"));
        assert.equal(app.routes.find((r) => r.pattern === "/api/boards/[id]")!.route, join(root, "app/api/boards/[id]/route.ts"));
        assert.equal(app.middleware, undefined);
        assert.equal(app.sitemap, undefined);
      },
    );
  });

  it("accepts every listed extension and ignores other files", async () => {
    const app = await scanTree([
      "app/a/route.mjs",
      "app/b/page.jsx",
      "app/b/layout.jsx",
      "app/c/socket.js",
      "app/d/route.tsx",
      "app/e/page.ts",
      "app/f/route.test.ts",
      "app/f/page.css",
      "app/f/components.tsx",
      "app/g/page.mdx",
    ]);
    assert.deepEqual(
      app.routes.map((r) => r.pattern),
      ["/a", "/b", "/c", "/d", "/e"],
    );
    assert.ok(app.routes[0]!.route!.endsWith("route.mjs"));
    assert.ok(app.routes[1]!.segments.at(-1)!.layout!.endsWith("layout.jsx"));
  });

  it("groups leave the URL, private folders are skipped with all they hold, %5F means _", async () => {
    const app = await scanTree([
      "app/(marketing)/(deep)/about/page.tsx",
      "app/_components/button/page.tsx",
      "app/_lib/api/route.ts",
      "app/blog/_drafts/post/page.tsx",
      "app/%5Finternal/route.ts",
      "app/%5fstatus/[id]/route.ts",
    ]);
    assert.deepEqual(
      app.routes.map((r) => r.pattern),
      ["/_internal", "/_status/[id]", "/about"],
    );
  });

  it("finds src/app and the middleware beside it", async () => {
    await withTree(["src/app/page.tsx", "src/middleware.ts", "middleware.ts"], async (root) => {
      const app = await scanApp(root);
      assert.equal(app.appDir, join(root, "src/app"));
      assert.equal(app.middleware, join(root, "src/middleware.ts"));
    });
  });

  it("middleware.ts or proxy.ts beside app/, never from inside app/", async () => {
    await withTree(["app/page.tsx", "proxy.js", "app/middleware.ts"], async (root) => {
      assert.equal((await scanApp(root)).middleware, join(root, "proxy.js"));
    });
    await withTree(["app/page.tsx", "middleware.ts"], async (root) => {
      assert.equal((await scanApp(root)).middleware, join(root, "middleware.ts"));
    });
  });

  it("sitemap.ts and robots.ts at the app root", async () => {
    await withTree(["app/page.tsx", "app/sitemap.ts", "app/robots.js"], async (root) => {
      const app = await scanApp(root);
      assert.equal(app.sitemap, join(root, "app/sitemap.ts"));
      assert.equal(app.robots, join(root, "app/robots.js"));
    });
  });

  it("icon files at the app root: favicon.ico, icon.*, apple-icon.*; two icons is a conflict", async () => {
    await withTree(["app/page.tsx", "app/favicon.ico", "app/icon.svg", "app/apple-icon.png", "app/x/icon.png"], async (root) => {
      assert.deepEqual((await scanApp(root)).icons, {
        favicon: join(root, "app/favicon.ico"),
        icon: join(root, "app/icon.svg"),
        appleIcon: join(root, "app/apple-icon.png"),
      });
    });
    assert.equal((await scanTree(["app/page.tsx", "app/icon.gif"])).icons, undefined);
    await withTree(["app/icon.png", "app/icon.svg"], async (root) => {
      await assert.rejects(scanApp(root), /app\/icon\.png and app\/icon\.svg are both a icon file/);
    });
  });

  it("a folder with only a layout is not a route; an empty app/ has no routes", async () => {
    assert.deepEqual((await scanTree(["app/settings/layout.tsx", "app/empty/"])).routes, []);
  });

  it("follows symlinked folders", async () => {
    await withTree(["app/page.tsx", "shared/health/route.ts"], async (root) => {
      await symlink(join(root, "shared/health"), join(root, "app/health"), "dir");
      const app = await scanApp(root);
      assert.deepEqual(
        app.routes.map((r) => r.pattern),
        ["/", "/health"],
      );
    });
  });
});

describe("scanApp: startup errors", () => {
  it("no app/ folder", async () => {
    const error = await scanError(["pages/index.tsx"], "TND_ERR_NO_APP_DIR");
    assert.match(error.message, /No app\/ or src\/app\//);
  });

  it("both app/ and src/app/", async () => {
    const error = await scanError(["app/page.tsx", "src/app/page.tsx"], "TND_ERR_APP_DIR_AMBIGUOUS");
    assert.match(error.message, /app.*src\/app/);
  });

  const conflicts: Array<[string, string[], string, string, string]> = [
    [
      "route.ts and page.tsx in one folder",
      ["app/a/route.ts", "app/a/page.tsx"],
      "TND_ERR_ROUTE_CONFLICT",
      "app/a/route.ts",
      "app/a/page.tsx",
    ],
    [
      "route.ts and page.tsx across groups",
      ["app/(x)/a/page.tsx", "app/(y)/a/route.ts"],
      "TND_ERR_ROUTE_CONFLICT",
      "app/(x)/a/page.tsx",
      "app/(y)/a/route.ts",
    ],
    [
      "two pages for one URL through groups",
      ["app/(x)/a/page.tsx", "app/(y)/a/page.tsx"],
      "TND_ERR_ROUTE_CONFLICT",
      "app/(x)/a/page.tsx",
      "app/(y)/a/page.tsx",
    ],
    ["a group page and a plain page", ["app/(x)/page.tsx", "app/page.tsx"], "TND_ERR_ROUTE_CONFLICT", "app/(x)/page.tsx", "app/page.tsx"],
    [
      "two sockets for one URL",
      ["app/(x)/chat/socket.ts", "app/(y)/chat/socket.ts"],
      "TND_ERR_ROUTE_CONFLICT",
      "app/(x)/chat/socket.ts",
      "app/(y)/chat/socket.ts",
    ],
    [
      "different slug names",
      ["app/shop/[id]/page.tsx", "app/shop/[slug]/page.tsx"],
      "TND_ERR_ROUTE_CONFLICT",
      "app/shop/[id]/page.tsx",
      "app/shop/[slug]/page.tsx",
    ],
    [
      "different slug names deeper down",
      ["app/u/[id]/edit/page.tsx", "app/u/[name]/route.ts"],
      "TND_ERR_ROUTE_CONFLICT",
      "app/u/[id]/edit/page.tsx",
      "app/u/[name]/route.ts",
    ],
    [
      "optional catch-all beside its parent",
      ["app/docs/page.tsx", "app/docs/[[...slug]]/page.tsx"],
      "TND_ERR_ROUTE_CONFLICT",
      "app/docs/page.tsx",
      "app/docs/[[...slug]]/page.tsx",
    ],
    [
      "optional catch-all beside its parent across groups",
      ["app/(x)/docs/[[...slug]]/page.tsx", "app/(y)/docs/route.ts"],
      "TND_ERR_ROUTE_CONFLICT",
      "app/(x)/docs/[[...slug]]/page.tsx",
      "app/(y)/docs/route.ts",
    ],
    [
      "root optional catch-all and root page",
      ["app/page.tsx", "app/[[...all]]/page.tsx"],
      "TND_ERR_ROUTE_CONFLICT",
      "app/page.tsx",
      "app/[[...all]]/page.tsx",
    ],
    [
      "catch-all and optional catch-all",
      ["app/[...a]/page.tsx", "app/[[...a]]/route.ts"],
      "TND_ERR_ROUTE_CONFLICT",
      "app/[...a]/page.tsx",
      "app/[[...a]]/route.ts",
    ],
    ["route.ts and route.js", ["app/a/route.ts", "app/a/route.js"], "TND_ERR_ROUTE_FILE_CONFLICT", "app/a/route.js", "app/a/route.ts"],
    ["page.tsx and page.jsx", ["app/page.tsx", "app/page.jsx"], "TND_ERR_ROUTE_FILE_CONFLICT", "app/page.tsx", "app/page.jsx"],
    [
      "layout.tsx and layout.js",
      ["app/layout.tsx", "app/layout.js", "app/page.tsx"],
      "TND_ERR_ROUTE_FILE_CONFLICT",
      "app/layout.tsx",
      "app/layout.js",
    ],
    ["middleware and proxy", ["app/page.tsx", "middleware.ts", "proxy.ts"], "TND_ERR_ROUTE_FILE_CONFLICT", "middleware.ts", "proxy.ts"],
    [
      "middleware.ts and middleware.js",
      ["app/page.tsx", "middleware.ts", "middleware.js"],
      "TND_ERR_ROUTE_FILE_CONFLICT",
      "middleware.ts",
      "middleware.js",
    ],
  ];
  for (const [name, files, code, first, second] of conflicts) {
    it(`${name}: names both files`, async () => {
      const error = await scanError(files, code);
      assert.ok(error.message.includes(first), `${first} in: ${error.message}`);
      assert.ok(error.message.includes(second), `${second} in: ${error.message}`);
    });
  }

  const invalid: Array<[string, string[], string, string]> = [
    ["a catch-all that is not last", ["app/[...slug]/edit/page.tsx"], "app/[...slug]/edit/page.tsx", "last segment"],
    ["an optional catch-all that is not last", ["app/[[...slug]]/edit/route.ts"], "app/[[...slug]]/edit/route.ts", "last segment"],
    ["an unclosed bracket", ["app/[a-b/page.tsx"], "app/[a-b", "brackets"],
    ["empty brackets", ["app/[]/page.tsx"], "app/[]", "empty"],
    ["an empty catch-all", ["app/[...]/page.tsx"], "app/[...]", "empty"],
    ["an optional dynamic segment", ["app/[[id]]/page.tsx"], "app/[[id]]", "optional"],
    ["a repeated parameter name", ["app/[id]/x/[id]/page.tsx"], "app/[id]/x/[id]/page.tsx", "twice"],
    ["an unnamed group", ["app/()/page.tsx"], "app/()", "without a name"],
  ];
  for (const [name, files, where, why] of invalid) {
    it(`${name} is refused, naming the file`, async () => {
      const error = await scanError(files, "TND_ERR_ROUTE_PATTERN_INVALID");
      assert.ok(error.message.includes(where), `${where} in: ${error.message}`);
      assert.ok(error.message.includes(why), `${why} in: ${error.message}`);
    });
  }

  const unsupported: Array<[string, string[], string]> = [
    ["parallel route slots", ["app/@modal/page.tsx", "app/page.tsx"], "app/@modal"],
    ["intercepting (.)", ["app/feed/(.)photo/page.tsx"], "app/feed/(.)photo"],
    ["intercepting (..)", ["app/feed/(..)photo/page.tsx"], "app/feed/(..)photo"],
    ["intercepting (...)", ["app/feed/(...)photo/page.tsx"], "app/feed/(...)photo"],
    ["intercepting (..)(..)", ["app/a/b/(..)(..)photo/page.tsx"], "app/a/b/(..)(..)photo"],
    ["a nested sitemap.ts", ["app/blog/sitemap.ts"], "app/blog/sitemap.ts"],
    ["a nested robots.js", ["app/blog/robots.js"], "app/blog/robots.js"],
  ];
  for (const [name, files, where] of unsupported) {
    it(`${name}: a clear error naming the folder`, async () => {
      const error = await scanError(files, "TND_ERR_ROUTE_UNSUPPORTED");
      assert.ok(error.message.includes(where), `${where} in: ${error.message}`);
    });
  }

  it("a symlink cycle", async () => {
    await withTree(["app/a/page.tsx"], async (root) => {
      await symlink(join(root, "app"), join(root, "app/a/loop"), "dir");
      await assert.rejects(
        scanApp(root),
        (e: Error & { code?: string }) => e.code === "TND_ERR_ROUTE_UNSUPPORTED" && e.message.includes("app/a/loop"),
      );
    });
  });
});
