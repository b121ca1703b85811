// The examples in docs/middleware.md, taken from the page itself and served in every mode (in
// memory, `tandem start`, `tandem dev`), so the page cannot drift from what Tandem does.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, test } from "node:test";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";

const page = readFileSync(new URL("../../../../docs/middleware.md", import.meta.url), "utf8");

function section(heading: string): string {
  const start = page.indexOf(`\n## ${heading}\n`);
  assert.ok(start !== -1, `docs/middleware.md has a "${heading}" section`);
  const end = page.indexOf("\n## ", start + 1);
  return page.slice(start, end === -1 ? undefined : end);
}

/** Files written by `cat > demo/<path> <<'TS' ... TS` in the Example section. */
function exampleFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const match of section("Example").matchAll(/cat > demo\/(\S+) <<'TS'\n([\s\S]*?)\nTS\n/g)) {
    files[match[1]!] = match[2]! + "\n";
  }
  assert.ok(Object.keys(files).length >= 4, "the example writes its files with heredocs");
  return files;
}

function helpersMiddleware(): string {
  const match = /```ts\n\/\/ middleware\.ts\n([\s\S]*?)```/.exec(section("Helpers from `tandem/server`"));
  assert.ok(match, "the helpers section has a middleware.ts block");
  return match[1]!;
}

const demo = createProject(exampleFiles());
const helpers = createProject({
  "middleware.ts": helpersMiddleware(),
  "app/blog/route.ts": `export const GET = () => new Response("blog");\n`,
  "app/en/about/route.ts": `export const GET = () => new Response("en about");\n`,
  "app/api/hello/route.ts": `export const GET = (r: Request) => Response.json({ auth: r.headers.get("authorization") });\n`,
});
after(() => {
  demo.remove();
  helpers.remove();
});

describeModes("the Example section does what its curl comments say", demo.root, (app) => {
  test("redirect, session cookie, header override and Set-Cookie", async () => {
    const redirected = await app().fetch("/dashboard");
    assert.equal(redirected.status, 307);
    assert.equal(redirected.headers.get("location"), "/login?callbackUrl=%2Fdashboard");
    assert.equal(await (await app().fetch("/dashboard", { headers: { cookie: "session=ada" } })).text(), "dashboard");
    const hello = await app().fetch("/api/hello");
    assert.deepEqual(await hello.json(), { user: "anonymous" });
    assert.deepEqual(hello.headers.getSetCookie(), ["seen=1; Path=/; HttpOnly; SameSite=Lax"]);
    assert.equal(await (await app().fetch("/login?callbackUrl=%2Fdashboard")).text(), "login, then back to /dashboard");
  });
});

describeModes("the tandem/server helpers example", helpers.root, (app) => {
  test("redirect, rewrite, answer and response headers", async () => {
    const moved = await app().fetch("/old-blog");
    assert.equal(moved.status, 308);
    assert.equal(moved.headers.get("location"), "/blog");
    assert.equal(await (await app().fetch("/about")).text(), "en about");
    const denied = await app().fetch("/api/hello");
    assert.equal(denied.status, 401);
    assert.deepEqual(await denied.json(), { error: "unauthorized" });
    const allowed = await app().fetch("/api/hello", { headers: { authorization: "Bearer x" } });
    assert.equal(allowed.headers.get("x-frame-options"), "DENY");
    assert.deepEqual(await allowed.json(), { auth: "Bearer x" });
  });
});
