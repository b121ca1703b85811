// next/headers inside middleware.ts, and NextResponse.next() where only middleware may return it,
// found by the differential comparison with Next.js (bench/compat). Before the fix every request
// behind a middleware that called headers() or cookies() answered 500
// (TND_ERR_PAGES_NO_REQUEST_CONTEXT), and a route handler returning NextResponse.next() answered
// an empty 200 where Next.js answers 500.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";

const project = createProject({
  "middleware.ts": `import { NextResponse } from "next/server";
import { cookies, headers } from "next/headers";

export async function middleware() {
  const incoming = await headers();
  const jar = await cookies();
  if (incoming.get("x-block") === "yes") return NextResponse.json({ blocked: jar.get("session")?.value ?? null }, { status: 403 });
  if (incoming.get("x-set-cookie") === "yes") jar.set("visited", "1", { path: "/" });
  if (incoming.get("x-write-header") === "yes") {
    try {
      incoming.set("x-forged", "1");
    } catch (error) {
      return NextResponse.json({ refused: (error as { code?: string }).code }, { status: 400 });
    }
  }
  const response = NextResponse.next();
  response.headers.set("x-seen-agent", incoming.get("user-agent") ?? "none");
  response.headers.set("x-seen-session", jar.get("session")?.value ?? "none");
  return response;
}

export const config = { matcher: ["/api/:path*"] };
`,
  "app/api/echo/route.ts": `import { cookies } from "next/headers";
export async function GET() {
  return Response.json({ session: (await cookies()).get("session")?.value ?? null });
}
`,
  "app/status/next/route.ts": `import { NextResponse } from "next/server";
export const GET = () => NextResponse.next();
`,
});

after(() => project.remove());

describeModes("next/headers in middleware", project.root, (app) => {
  test("headers() and cookies() read the incoming request in middleware", async () => {
    const response = await app().fetch("/api/echo", { headers: { "user-agent": "probe/1", cookie: "session=ada" } });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { session: "ada" });
    assert.equal(response.headers.get("x-seen-agent"), "probe/1");
    assert.equal(response.headers.get("x-seen-session"), "ada");
  });

  test("a response made by middleware can use what cookies() read", async () => {
    const response = await app().fetch("/api/echo", { headers: { "x-block": "yes", cookie: "session=bob" } });
    assert.equal(response.status, 403);
    assert.deepEqual(await response.json(), { blocked: "bob" });
  });

  test("cookies().set in middleware becomes a Set-Cookie of the response, as in Next.js", async () => {
    const response = await app().fetch("/api/echo", { headers: { "x-set-cookie": "yes" } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("set-cookie") ?? "", /^visited=1; Path=\//);
  });

  test("headers() stays read-only in middleware", async () => {
    const response = await app().fetch("/api/echo", { headers: { "x-write-header": "yes" } });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { refused: "TND_ERR_PAGES_HEADERS_READONLY" });
  });
});

describeModes("NextResponse.next() outside middleware", project.root, (app, mode) => {
  test("a route handler that returns NextResponse.next() answers 500 and says why", async () => {
    const response = await app().fetch("/status/next");
    assert.equal(response.status, 500);
    if (mode !== "memory") await app().waitForOutput(/TND_ERR_ROUTE_MIDDLEWARE_RESPONSE/);
  });
});
