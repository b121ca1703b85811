// Middleware as Next.js users write it (docs and common recipes), unchanged except for the import
// path, in front of real route handlers: in memory and over HTTP.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createApp } from "../../src/app/create-app.js";
import { redirect } from "tandem/server";
import { NextResponse, type NextFetchEvent, type NextRequest } from "tandem/next-server";
import type { AppManifest, MiddlewareModule } from "../../src/app/types.js";
import { describeMatrix, quietLogger } from "../support/matrix.js";

const echo = (request: Request) =>
  Response.json({
    path: new URL(request.url).pathname,
    user: request.headers.get("x-hello-from-middleware1"),
    cookie: request.headers.get("cookie"),
  });

const routes: AppManifest["routes"] = [
  { pattern: "/login", route: () => ({ GET: echo }) },
  { pattern: "/dashboard/[[...rest]]", route: () => ({ GET: echo }) },
  { pattern: "/en/[[...rest]]", route: () => ({ GET: echo }) },
  { pattern: "/fr/[[...rest]]", route: () => ({ GET: echo }) },
  {
    pattern: "/api/echo",
    route: () => ({
      POST: async (request: Request) => Response.json({ body: await request.json(), checked: request.headers.get("x-checked") }),
    }),
  },
  { pattern: "/api/status", route: () => ({ GET: echo }) },
  { pattern: "/favicon.ico", route: () => ({ GET: () => new Response("icon") }) },
];

function appWith(middleware: MiddlewareModule) {
  return () => createApp({ routes, middleware: () => middleware }, { logger: quietLogger });
}

const authMiddleware: MiddlewareModule = {
  middleware(request: NextRequest) {
    const session = request.cookies.get("session")?.value;
    if (!session && request.nextUrl.pathname.startsWith("/dashboard")) {
      const loginUrl = new URL("/login", request.url);
      loginUrl.searchParams.set("callbackUrl", request.nextUrl.pathname);
      return NextResponse.redirect(loginUrl);
    }
    return NextResponse.next();
  },
  config: { matcher: ["/((?!api|_next/static|_next/image|favicon.ico).*)"] },
};

describeMatrix("Next.js snippet: auth redirect to /login with callbackUrl", appWith(authMiddleware), (fetch) => {
  test("no session: redirected with callbackUrl", async () => {
    const response = await fetch("/dashboard/settings");
    assert.equal(response.status, 307);
    // Same-origin targets go out as a path, as Next.js sends them.
    const location = new URL(response.headers.get("location")!, "http://unused.invalid");
    assert.ok(response.headers.get("location")!.startsWith("/login?"));
    assert.equal(location.pathname, "/login");
    assert.equal(location.searchParams.get("callbackUrl"), "/dashboard/settings");
  });

  test("with a session the page is served", async () => {
    const response = await fetch("/dashboard", { headers: { cookie: "session=abc" } });
    assert.equal(response.status, 200);
    assert.equal((await response.json()).path, "/dashboard");
  });

  test("excluded paths skip middleware", async () => {
    assert.equal(await (await fetch("/favicon.ico")).text(), "icon");
  });
});

const locales = ["en", "fr"];
const i18nMiddleware: MiddlewareModule = {
  middleware(request: NextRequest) {
    const { pathname } = request.nextUrl;
    const hasLocale = locales.some((locale) => pathname.startsWith(`/${locale}/`) || pathname === `/${locale}`);
    if (hasLocale) return;
    const locale = request.headers.get("accept-language")?.startsWith("fr") ? "fr" : "en";
    request.nextUrl.pathname = `/${locale}${pathname}`;
    return NextResponse.rewrite(request.nextUrl);
  },
  config: { matcher: ["/((?!api|_next).*)"] },
};

describeMatrix("Next.js snippet: i18n rewrite", appWith(i18nMiddleware), (fetch) => {
  test("rewrites to the negotiated locale; the browser URL is unchanged", async () => {
    const response = await fetch("/about", { headers: { "accept-language": "fr-FR,fr;q=0.9" } });
    assert.equal(response.status, 200);
    // The handler sees the original request; routing used the rewritten path.
    assert.equal((await response.json()).path, "/about");
    assert.equal(response.headers.get("location"), null);
  });

  test("default locale, and locale paths pass through", async () => {
    assert.equal((await fetch("/about")).status, 200);
    assert.equal((await fetch("/fr/about")).status, 200);
  });
});

const headerMiddleware: MiddlewareModule = {
  middleware(request: NextRequest) {
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set("x-hello-from-middleware1", "hello");
    const response = NextResponse.next({ request: { headers: requestHeaders } });
    response.headers.set("x-hello-from-middleware2", "hello");
    return response;
  },
};

describeMatrix("Next.js snippet: request and response headers from NextResponse.next", appWith(headerMiddleware), (fetch) => {
  test("the handler sees the new request header; the client gets the response header", async () => {
    const response = await fetch("/en");
    assert.equal((await response.json()).user, "hello");
    assert.equal(response.headers.get("x-hello-from-middleware2"), "hello");
  });

  test("the value middleware sets replaces a client-sent header of the same name", async () => {
    const response = await fetch("/en", { headers: { "x-hello-from-middleware1": "forged" } });
    assert.equal((await response.json()).user, "hello");
  });
});

const cookieMiddleware: MiddlewareModule = {
  middleware(request: NextRequest) {
    const theme = request.cookies.get("theme");
    const response = NextResponse.next();
    response.cookies.set("visited", "true");
    response.cookies.set({ name: "theme", value: theme?.value ?? "light", path: "/" });
    return response;
  },
};

describeMatrix("Next.js snippet: setting cookies on the response", appWith(cookieMiddleware), (fetch) => {
  test("both cookies reach the client", async () => {
    const response = await fetch("/en", { headers: { cookie: "theme=dark" } });
    assert.equal(response.status, 200);
    // Tandem's cookie defaults (HttpOnly, SameSite=Lax) apply to every cookie API (docs/middleware.md).
    assert.deepEqual(response.headers.getSetCookie(), [
      "visited=true; Path=/; HttpOnly; SameSite=Lax",
      "theme=dark; Path=/; HttpOnly; SameSite=Lax",
    ]);
  });
});

const bodyMiddleware: MiddlewareModule = {
  async middleware(request: NextRequest, event: NextFetchEvent) {
    if (request.method === "POST") {
      const body = (await request.json()) as { deny?: boolean };
      if (body.deny) return NextResponse.json({ error: "denied" }, { status: 403 });
    }
    event.waitUntil(Promise.resolve());
    const headers = new Headers(request.headers);
    headers.set("x-checked", "yes");
    return NextResponse.next({ request: { headers } });
  },
};

describeMatrix("middleware reads the body; the handler still can", appWith(bodyMiddleware), (fetch) => {
  test("allowed body reaches the handler intact", async () => {
    const response = await fetch("/api/echo", { method: "POST", body: JSON.stringify({ n: 1, text: "ü".repeat(1000) }) });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { body: { n: 1, text: "ü".repeat(1000) }, checked: "yes" });
  });

  test("middleware can answer from the body", async () => {
    const response = await fetch("/api/echo", { method: "POST", body: JSON.stringify({ deny: true }) });
    assert.equal(response.status, 403);
    assert.deepEqual(await response.json(), { error: "denied" });
  });
});

const throwingMiddleware: MiddlewareModule = {
  proxy(request: NextRequest) {
    if (request.nextUrl.pathname === "/dashboard/old") redirect("/dashboard/new");
  },
};

describeMatrix("proxy.ts that throws redirect()", appWith(throwingMiddleware), (fetch) => {
  test("answers 307 with the target's path as Location, as Next.js does", async () => {
    const response = await fetch("/dashboard/old");
    assert.equal(response.status, 307);
    assert.equal(response.headers.get("location"), "/dashboard/new");
  });

  test("other paths continue", async () => {
    assert.equal((await fetch("/dashboard/x")).status, 200);
  });
});
