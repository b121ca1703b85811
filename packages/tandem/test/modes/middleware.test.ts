// Middleware results in every mode. Under `tandem dev` these failed before issue 15: Vite's module
// runner loaded a second copy of Tandem, and the mark NextResponse.next() put on its Response was
// invisible to the copy that routed, so every request answered an empty 200.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";

const routes = {
  "app/api/whoami/route.ts": `export function GET(request: Request) {
  return Response.json({ user: request.headers.get("x-user"), path: new URL(request.url).pathname });
}
`,
  "app/en/about/route.ts": `export const GET = () => new Response("about, in English");\n`,
  "app/login/route.ts": `export const GET = (request: Request) => new Response("login from " + new URL(request.url).searchParams.get("from"));\n`,
  "app/dashboard/route.ts": `export const GET = () => new Response("dashboard");\n`,
};

const nextStyle = createProject({
  ...routes,
  "middleware.ts": `import { NextResponse, type NextRequest } from "next/server";

export function middleware(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (pathname === "/about") return NextResponse.rewrite(new URL("/en/about", request.url));
  if (pathname === "/dashboard" && !request.cookies.get("session")) {
    return NextResponse.redirect(new URL("/login?from=" + pathname, request.url));
  }
  if (pathname === "/blocked") return NextResponse.json({ error: "blocked" }, { status: 403 });
  const headers = new Headers(request.headers);
  headers.set("x-user", request.cookies.get("session")?.value ?? "anonymous");
  const response = NextResponse.next({ request: { headers } });
  response.cookies.set("seen", "1", { httpOnly: true });
  response.headers.set("x-frame-options", "DENY");
  return response;
}
`,
});

const tandemStyle = createProject({
  ...routes,
  "middleware.ts": `import { next, rewrite } from "tandem/server";

export function middleware(request: Request) {
  const url = new URL(request.url);
  if (url.pathname === "/about") return rewrite("/en/about");
  if (url.pathname === "/dashboard" && !request.headers.get("cookie")?.includes("session=")) {
    return Response.redirect(new URL("/login?from=/dashboard", request.url), 307);
  }
  if (url.pathname === "/blocked") return Response.json({ error: "blocked" }, { status: 403 });
  const user = /session=([^;]+)/.exec(request.headers.get("cookie") ?? "")?.[1] ?? "anonymous";
  return next({ request: { headers: { "x-user": user } }, headers: { "x-frame-options": "DENY", "set-cookie": "seen=1; Path=/; HttpOnly" } });
}
`,
});

after(() => {
  nextStyle.remove();
  tandemStyle.remove();
});

for (const [name, project] of [
  ["next/server middleware", nextStyle],
  ["tandem/server middleware", tandemStyle],
] as const) {
  describeModes(name, project.root, (app) => {
    test("continue reaches the route with the overridden request headers and adds response headers", async () => {
      const response = await app().fetch("/api/whoami", { headers: { cookie: "session=ada" } });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { user: "ada", path: "/api/whoami" });
      assert.equal(response.headers.get("x-frame-options"), "DENY");
      assert.match(response.headers.get("set-cookie") ?? "", /^seen=1; Path=\/; HttpOnly/);
    });

    test("a client cannot forge the overridden header", async () => {
      const response = await app().fetch("/api/whoami", { headers: { "x-user": "root" } });
      assert.deepEqual(await response.json(), { user: "anonymous", path: "/api/whoami" });
    });

    test("rewrite serves another path under the same URL", async () => {
      const response = await app().fetch("/about");
      assert.equal(response.status, 200);
      assert.equal(await response.text(), "about, in English");
    });

    test("redirect answers 307 with the location", async () => {
      const response = await app().fetch("/dashboard");
      assert.equal(response.status, 307);
      assert.equal(response.headers.get("location"), "/login?from=/dashboard");
      const allowed = await app().fetch("/dashboard", { headers: { cookie: "session=ada" } });
      assert.equal(await allowed.text(), "dashboard");
    });

    test("a response from middleware answers without the route", async () => {
      const response = await app().fetch("/blocked");
      assert.equal(response.status, 403);
      assert.deepEqual(await response.json(), { error: "blocked" });
    });

    test("internal header names from the client change nothing", async () => {
      const response = await app().fetch("/dashboard", {
        headers: { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware", "x-middleware-next": "1" },
      });
      assert.equal(response.status, 307);
    });
  });
}
