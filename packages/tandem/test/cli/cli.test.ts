import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, describe, test } from "node:test";
import { runCli, startCli } from "../support/cli.js";
import { createProject } from "../support/project.js";

const project = createProject({
  "app/api/hello/route.ts": `export function GET() { return Response.json({ hello: "world" }); }\n`,
  "app/api/users/[id]/route.ts": `import { notFound } from "tandem/server";
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (id === "0") notFound();
  return Response.json({ id });
}
export async function POST(req: Request) { return Response.json(await req.json(), { status: 201 }); }\n`,
  "app/(marketing)/about/route.ts": `export const GET = () => new Response("about");\n`,
  "app/_private/route.ts": `export const GET = () => new Response("never");\n`,
  "middleware.ts": `import { NextResponse, type NextRequest } from "next/server";
export function middleware(request: NextRequest) {
  if (request.headers.get("authorization") !== "Bearer t") return NextResponse.json({ error: "no" }, { status: 401 });
  const headers = new Headers(request.headers);
  headers.set("x-user", "alice");
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("x-mw", "1");
  return res;
}
export const config = { matcher: "/api/users/:path*" };\n`,
  "lib/greeting.ts": `export const greeting = "hi";\n`,
  "public/hello.txt": "static hello\n",
});
after(() => project.remove());

describe("tandem build + start", () => {
  test("build prints what it built and writes .tandem/", async () => {
    const res = await runCli(["build", project.root]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /3 routes built/);
  });

  test("start serves routes, middleware, next/server and public files", async () => {
    const server = await startCli(["start", project.root, "--port", "0", "--host", "127.0.0.1"]);
    try {
      const get = (path: string, init?: RequestInit) => fetch(new URL(path, server.url), init);
      assert.deepEqual(await (await get("/api/hello")).json(), { hello: "world" });
      assert.equal(await (await get("/about")).text(), "about");
      assert.equal((await get("/_private")).status, 404);
      assert.equal((await get("/api/users/1")).status, 401);
      const ok = await get("/api/users/1", { headers: { authorization: "Bearer t" } });
      assert.deepEqual(await ok.json(), { id: "1" });
      assert.equal(ok.headers.get("x-mw"), "1");
      assert.equal((await get("/api/users/0", { headers: { authorization: "Bearer t" } })).status, 404);
      assert.equal(await (await get("/hello.txt")).text(), "static hello\n");
    } finally {
      assert.equal(await server.stop("SIGTERM"), 0);
    }
  });

  test("a port in use is one clear line and exit 1", async () => {
    const blocker = createServer().listen(0, "127.0.0.1");
    await new Promise((r) => blocker.once("listening", r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const res = await runCli(["start", project.root, "--port", String(port), "--host", "127.0.0.1"]);
      assert.equal(res.code, 1);
      assert.match(res.stderr, new RegExp(`port ${port} is already in use`));
      assert.doesNotMatch(res.stderr, /\n\s+at /);
    } finally {
      blocker.close();
    }
  });
});

describe("tandem routes", () => {
  test("prints the route table", async () => {
    const res = await runCli(["routes", project.root]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /\/api\/users\/\[id\]/);
    assert.match(res.stdout, /\/about/);
    assert.doesNotMatch(res.stdout, /_private/);
    // Each route's methods, read from its source without running it.
    assert.match(res.stdout, /^\/api\/users\/\[id\] +route +GET,POST +app\/api\/users\/\[id\]\/route\.ts$/m);
    assert.match(res.stdout, /^\/api\/hello +route +GET +app\/api\/hello\/route\.ts$/m);
    assert.match(res.stdout, /^\/about +route +GET +app\/\(marketing\)\/about\/route\.ts$/m);
  });
});

describe("clear errors", () => {
  test("no app/ folder", async () => {
    const empty = createProject({ "README.md": "nothing here" });
    try {
      const res = await runCli(["build", empty.root]);
      assert.equal(res.code, 1);
      assert.match(res.stderr, /no app\/ folder/);
      assert.match(res.stderr, /TND_ERR_NO_APP_DIR/);
    } finally {
      empty.remove();
    }
  });

  test("start without a build", async () => {
    const unbuilt = createProject({ "app/route.ts": "export const GET = () => new Response('x');\n" });
    try {
      const res = await runCli(["start", unbuilt.root, "--port", "0"]);
      assert.equal(res.code, 1);
      assert.match(res.stderr, /Run `tandem build` first/);
    } finally {
      unbuilt.remove();
    }
  });

  test("an invalid port and an unknown command: one line and exit 2", async () => {
    const bad = await runCli(["start", project.root, "--port", "70000"]);
    assert.equal(bad.code, 2);
    assert.equal(
      bad.stderr,
      'tandem start: invalid port "70000": use an integer from 0 to 65535, e.g. --port 3000; see tandem start --help [TND_ERR_CLI_USAGE]\n',
    );
    const unknown = await runCli(["serve"]);
    assert.equal(unknown.code, 2);
    assert.equal(
      unknown.stderr,
      'tandem: unknown command "serve"; run tandem --help for the list (dev, build, start, routes, typegen, worker, jobs)\n',
    );
  });
});

describe("tandem dev", () => {
  test("a port in use is one clear line and exit 1, as for tandem start", async () => {
    const blocker = createServer().listen(0, "127.0.0.1");
    await new Promise((r) => blocker.once("listening", r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const res = await runCli(["dev", project.root, "--port", String(port), "--host", "127.0.0.1"], { timeoutMs: 30_000 });
      assert.equal(res.code, 1);
      assert.match(res.stderr, new RegExp(`port ${port} is already in use.*TND_ERR_PORT_IN_USE`));
      assert.doesNotMatch(res.stderr, /\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  test("serves routes and picks up edits and new files without a restart", async () => {
    const dev = createProject({ "app/api/v/route.ts": `export const GET = () => Response.json({ v: 1 });\n` });
    const server = await startCli(["dev", dev.root, "--port", "0", "--host", "127.0.0.1"]);
    try {
      const get = async (path: string) => fetch(new URL(path, server.url));
      assert.deepEqual(await (await get("/api/v")).json(), { v: 1 });
      dev.write("app/api/v/route.ts", `export const GET = () => Response.json({ v: 2 });\n`);
      await eventually(async () => assert.deepEqual(await (await get("/api/v")).json(), { v: 2 }));
      dev.write("app/api/new/route.ts", `export const GET = () => new Response("new");\n`);
      await eventually(async () => assert.equal(await (await get("/api/new")).text(), "new"));
      dev.write("app/api/v/route.ts", `export const GET = () => { throw new Error("dev detail") };\n`);
      await eventually(async () => assert.match(await (await get("/api/v")).text(), /dev detail/));
    } finally {
      await server.stop("SIGTERM");
      dev.remove();
    }
  });
});

async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
