// The examples in docs/middleware.md, taken from the page itself, built and served by the real CLI,
// so the page cannot drift from what Tandem does.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, test } from "node:test";
import { runCli, startCli } from "../support/cli.js";
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

async function serveProject(root: string) {
  const built = await runCli(["build", root]);
  assert.equal(built.code, 0, built.stderr);
  return startCli(["start", root, "--port", "0", "--host", "127.0.0.1"]);
}

test("the Example section does what its curl comments say", async () => {
  const server = await serveProject(demo.root);
  try {
    const get = (path: string, init?: RequestInit) => fetch(new URL(path, server.url), { redirect: "manual", ...init });
    const redirected = await get("/dashboard");
    assert.equal(redirected.status, 307);
    assert.equal(redirected.headers.get("location"), new URL("/login?callbackUrl=%2Fdashboard", server.url).href);
    assert.equal(await (await get("/dashboard", { headers: { cookie: "session=ada" } })).text(), "dashboard");
    const hello = await get("/api/hello");
    assert.deepEqual(await hello.json(), { user: "anonymous" });
    assert.deepEqual(hello.headers.getSetCookie(), ["seen=1; Path=/; HttpOnly"]);
    assert.equal(await (await get("/login?callbackUrl=%2Fdashboard")).text(), "login, then back to /dashboard");
  } finally {
    assert.equal(await server.stop("SIGTERM"), 0);
  }
});

test("the tandem/server helpers example", async () => {
  const server = await serveProject(helpers.root);
  try {
    const get = (path: string, init?: RequestInit) => fetch(new URL(path, server.url), { redirect: "manual", ...init });
    const moved = await get("/old-blog");
    assert.equal(moved.status, 308);
    assert.equal(moved.headers.get("location"), new URL("/blog", server.url).href);
    assert.equal(await (await get("/about")).text(), "en about");
    const denied = await get("/api/hello");
    assert.equal(denied.status, 401);
    assert.deepEqual(await denied.json(), { error: "unauthorized" });
    const allowed = await get("/api/hello", { headers: { authorization: "Bearer x" } });
    assert.equal(allowed.headers.get("x-frame-options"), "DENY");
    assert.deepEqual(await allowed.json(), { auth: "Bearer x" });
  } finally {
    assert.equal(await server.stop("SIGTERM"), 0);
  }
});
