// Middleware signals survive a second copy of Tandem: an app bundle (or a library) that carries its
// own next/server makes NextResponse.next()/rewrite() that the server's copy must still read.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "rolldown";
import { createApp } from "../../src/app/create-app.js";
import type { AppManifest } from "../../src/app/types.js";
import { quietLogger } from "../support/matrix.js";

// Inside the package, as an app's bundle sits inside the app: the optional packages it loads at run
// time (urlpattern-polyfill on Node 20 and 22, ua-parser-js) resolve from node_modules as they would there.
const projects = fileURLToPath(new URL("../../.test-projects/", import.meta.url));
mkdirSync(projects, { recursive: true });
const dir = mkdtempSync(join(projects, "tandem-copy-"));
let copy: typeof import("../../src/compat/next-server.js");
let helpers: typeof import("../../src/app/middleware/helpers.js");

before(async () => {
  // Everything bundled in, nothing external but node's own modules: a copy of its own.
  const src = new URL("../../src/", import.meta.url);
  await build({
    input: { next: new URL("compat/next-server.ts", src).pathname, helpers: new URL("app/middleware/helpers.ts", src).pathname },
    platform: "node",
    external: (id) => id.startsWith("node:"),
    logLevel: "silent",
    output: { dir, format: "esm", entryFileNames: "[name].mjs", chunkFileNames: "[name]-[hash].mjs" },
  });
  copy = await import(pathToFileURL(join(dir, "next.mjs")).href);
  helpers = await import(pathToFileURL(join(dir, "helpers.mjs")).href);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const routes: AppManifest["routes"] = [
  { pattern: "/who", route: () => ({ GET: (request: Request) => new Response(`hi ${request.headers.get("x-user")}`) }) },
  { pattern: "/en/about", route: () => ({ GET: () => new Response("about") }) },
];

function appWith(middleware: (request: Request) => Response): ReturnType<typeof createApp> {
  return createApp({ routes, middleware: () => ({ middleware }) }, { logger: quietLogger });
}

test("the copy is a separate module: its NextResponse is not the server's", async () => {
  const own = await import("../../src/compat/next-server.js");
  assert.notEqual(copy.NextResponse, own.NextResponse);
});

test("next() from another copy continues, with its request headers and response headers", async () => {
  const app = appWith(() =>
    copy.NextResponse.next({ request: { headers: new Headers({ "x-user": "ada" }) }, headers: { "x-frame-options": "DENY" } }),
  );
  const response = await app.fetch(new Request("http://localhost/who"));
  assert.equal(await response.text(), "hi ada");
  assert.equal(response.headers.get("x-frame-options"), "DENY");
});

test("a copy of another copy's next() continues: the copies share the token of the mark", async () => {
  const app = appWith(() => {
    const original = copy.NextResponse.next({ request: { headers: new Headers({ "x-user": "grace" }) } });
    return new Response(original.body, original);
  });
  const response = await app.fetch(new Request("http://localhost/who"));
  assert.equal(await response.text(), "hi grace");
  assert.equal(response.headers.get("x-tandem-middleware"), null);
});

test("rewrite() from another copy serves the other path; a foreign origin is still refused", async () => {
  assert.equal(
    await (await appWith(() => copy.NextResponse.rewrite("http://localhost/en/about")).fetch(new Request("http://localhost/about"))).text(),
    "about",
  );
  assert.equal(await (await appWith(() => helpers.rewrite("/en/about")).fetch(new Request("http://localhost/about"))).text(), "about");
  const foreign = await appWith(() => helpers.rewrite("http://169.254.169.254/latest")).fetch(new Request("http://localhost/about"));
  assert.equal(foreign.status, 500);
});
