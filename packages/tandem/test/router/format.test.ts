import assert from "node:assert/strict";
import { join } from "node:path";
import { it } from "node:test";
import { formatRouteTable } from "../../src/router/format.js";
import { scanApp } from "../../src/router/scan.js";
import { withTree } from "./tree.js";

const files = [
  "app/page.tsx",
  "app/(shop)/products/[id]/page.tsx",
  "app/api/boards/[id]/route.ts",
  "app/api/boards/route.ts",
  "app/chat/[room]/socket.ts",
  "app/chat/[room]/page.tsx",
  "app/docs/[[...slug]]/page.tsx",
  "app/sitemap.ts",
  "app/icon.svg",
  "proxy.ts",
];

it("formatRouteTable: one row per serving file, in matching order, paths relative to the root", async () => {
  await withTree(files, async (root) => {
    const app = await scanApp(root);
    const methods = new Map([[join(root, "app/api/boards/route.ts"), ["GET", "POST"]]]);
    assert.equal(
      formatRouteTable(app, { methods }),
      [
        "URL                Kind        Methods   File",
        "-----------------  ----------  --------  ---------------------------------",
        "/                  page        -         app/page.tsx",
        "/api/boards        route       GET,POST  app/api/boards/route.ts",
        "/api/boards/[id]   route       -         app/api/boards/[id]/route.ts",
        "/chat/[room]       page        -         app/chat/[room]/page.tsx",
        "/chat/[room]       socket      -         app/chat/[room]/socket.ts",
        "/docs/[[...slug]]  page        -         app/docs/[[...slug]]/page.tsx",
        "/products/[id]     page        -         app/(shop)/products/[id]/page.tsx",
        "/sitemap.xml       sitemap     GET       app/sitemap.ts",
        "/icon.svg          icon        GET       app/icon.svg",
        "*                  middleware  *         proxy.ts",
        "",
        "6 routes",
      ].join("\n"),
    );
  });
});

it("formatRouteTable: an app without routes says so", async () => {
  await withTree(["src/app/layout.tsx"], async (root) => {
    assert.equal(formatRouteTable(await scanApp(root)), "No routes in src/app/ (add a route.ts or page.tsx).");
  });
});
