import assert from "node:assert/strict";
import { inspect } from "node:util";
import { describe, test } from "node:test";
import { getMiddlewareSignal } from "../../src/app/middleware/signals.js";
import { NextRequest, NextResponse, NextURL, RequestCookies, ResponseCookies } from "tandem/next-server";
import { TandemError } from "tandem/server";
import { toNextRequest } from "../../src/compat/next-request.js";

describe("NextRequest", () => {
  test("nextUrl names a local host localhost, as Next.js's NextURL does (Auth.js builds callbackUrl from it)", () => {
    for (const host of ["127.0.0.1:4000", "127.1.2.3:4000", "[::1]:4000", "localhost:4000"]) {
      const request = new NextRequest(new Request(`http://${host}/middleware-example?a=1`));
      assert.equal(request.nextUrl.href, "http://localhost:4000/middleware-example?a=1", host);
      assert.equal(request.nextUrl.clone().host, "localhost:4000", host);
    }
    assert.equal(new NextURL("http://127.0.0.1.example/x").hostname, "127.0.0.1.example");
    assert.equal(new NextURL("/x", "http://127.0.0.1:4000").href, "http://localhost:4000/x");
    assert.equal(new NextRequest(new Request("http://10.0.0.2:4000/")).nextUrl.host, "10.0.0.2:4000");
    // A rewrite or redirect to it stays on the request's own origin.
    const request = new NextRequest(new Request("http://127.0.0.1:4000/shop"));
    const next = request.nextUrl.clone();
    next.pathname = "/en/shop";
    assert.equal(NextResponse.redirect(next).headers.get("location"), "http://127.0.0.1:4000/en/shop");
    assert.deepEqual(getMiddlewareSignal(NextResponse.rewrite(next)), {
      kind: "rewrite",
      destination: "http://127.0.0.1:4000/en/shop",
      requestHeaders: undefined,
    });
  });

  test("wraps any Request: nextUrl, cookies, ip/geo, instanceof Request", () => {
    const request = new NextRequest(
      new Request("http://localhost:3000/shop/cart?item=1&item=2#top", { headers: { cookie: "session=abc; theme=dark" } }),
    );
    assert.ok(request instanceof Request);
    assert.equal(request.method, "GET");
    assert.equal(request.nextUrl.pathname, "/shop/cart");
    assert.deepEqual(request.nextUrl.searchParams.getAll("item"), ["1", "2"]);
    assert.equal(request.nextUrl.basePath, "");
    assert.equal(request.nextUrl.locale, "");
    assert.equal(request.nextUrl.buildId, undefined);
    assert.ok(request.nextUrl instanceof NextURL && request.nextUrl instanceof URL);
    assert.deepEqual(request.cookies.get("session"), { name: "session", value: "abc" });
    assert.equal(request.cookies.has("theme"), true);
    assert.equal(request.cookies.size, 2);
    assert.equal(request.ip, undefined);
    assert.equal(request.geo, undefined);
    assert.match(inspect(request), /GET/);
  });

  test("nextUrl.clone() is independent, as in the usual rewrite recipe", () => {
    const request = new NextRequest("http://localhost/about?x=1");
    const url = request.nextUrl.clone();
    url.pathname = "/en/about";
    assert.equal(request.nextUrl.pathname, "/about");
    assert.equal(url.href, "http://localhost/en/about?x=1");
    assert.ok(url instanceof NextURL);
  });

  test("middleware may read the body and the original stays readable for the handler", async () => {
    const original = new Request("http://localhost/api", { method: "POST", body: JSON.stringify({ a: 1 }) });
    const request = new NextRequest(original);
    assert.equal(request.bodyUsed, false);
    assert.deepEqual(await request.json(), { a: 1 });
    assert.equal(request.bodyUsed, true);
    assert.equal(original.bodyUsed, false);
    assert.equal(await original.text(), '{"a":1}');
  });

  test("a NextRequest whose body nobody reads never touches the original's body", async () => {
    const original = new Request("http://localhost/api", { method: "PUT", body: "payload" });
    const request = new NextRequest(original);
    assert.equal(request.headers.get("content-type"), "text/plain;charset=UTF-8");
    request.headers.set("x-added", "1");
    assert.equal(original.headers.get("x-added"), null, "headers are a copy");
    assert.equal(await original.text(), "payload");
  });

  test("toNextRequest takes the body over without a clone", async () => {
    const original = new Request("http://localhost/api", { method: "POST", body: "once" });
    const request = toNextRequest(original);
    assert.equal(toNextRequest(request), request);
    assert.equal(await request.clone().text(), "once");
    assert.equal(await request.text(), "once");
    assert.equal(original.bodyUsed, true);
  });

  test("constructed like Next.js from a URL and init; usable with new Request() and fetch internals", async () => {
    const request = new NextRequest("http://localhost/x", { method: "POST", body: "hi", headers: { "x-a": "1" } });
    assert.equal(request.headers.get("x-a"), "1");
    const copy = new Request(request);
    assert.equal(copy.method, "POST");
    assert.equal(await copy.text(), "hi");
  });

  test("request.cookies.set() changes the headers forwarded with NextResponse.next", () => {
    const request = new NextRequest(new Request("http://localhost/", { headers: { cookie: "a=1" } }));
    request.cookies.set("b", "two words");
    request.cookies.delete("a");
    assert.equal(request.headers.get("cookie"), "b=two%20words");
    const response = NextResponse.next({ request: { headers: request.headers } });
    const signal = getMiddlewareSignal(response);
    assert.equal(signal?.requestHeaders?.get("cookie"), "b=two%20words");
  });
});

describe("cookies", () => {
  test("RequestCookies: get/getAll/has/set/delete/clear/toString/iterate", () => {
    const headers = new Headers({ cookie: "a=1; b=x%3Dy; c=3" });
    const cookies = new RequestCookies(headers);
    assert.deepEqual(cookies.get("b"), { name: "b", value: "x=y" });
    assert.deepEqual(
      cookies.getAll().map((c) => c.name),
      ["a", "b", "c"],
    );
    assert.deepEqual(cookies.getAll("c"), [{ name: "c", value: "3" }]);
    assert.deepEqual(cookies.delete(["a", "zz"]), [true, false]);
    assert.equal(cookies.delete("c"), true);
    cookies.set({ name: "d", value: "4" });
    assert.equal(cookies.toString(), "b=x%3Dy; d=4");
    assert.equal(headers.get("cookie"), "b=x%3Dy; d=4");
    assert.deepEqual(
      [...cookies].map(([name]) => name),
      ["b", "d"],
    );
    cookies.clear();
    assert.equal(headers.get("cookie"), null);
  });

  test("ResponseCookies round-trip through Set-Cookie headers", () => {
    const response = NextResponse.next();
    response.cookies.set("session", "v a l", { httpOnly: true, secure: true, sameSite: "lax", maxAge: 3600 });
    response.cookies.set({ name: "theme", value: "dark", path: "/app" });
    const lines = response.headers.getSetCookie();
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^session=v%20a%20l; Max-Age=3600; Path=\/; Expires=.+; HttpOnly; Secure; SameSite=Lax$/);
    assert.equal(lines[1], "theme=dark; Path=/app; HttpOnly; SameSite=Lax", "the defaults cookies().set uses");
    // A fresh reader parses what was written.
    const again = new ResponseCookies(response.headers);
    assert.equal(again.get("session")?.value, "v a l");
    assert.equal(again.get("session")?.httpOnly, true);
    assert.equal(again.get("theme")?.path, "/app");
    assert.equal(again.has("nope"), false);
    // Opting out per cookie, for one that browser code reads.
    response.cookies.set("visible", "1", { httpOnly: false, sameSite: "strict" });
    assert.equal(response.headers.getSetCookie()[2], "visible=1; Path=/; SameSite=Strict");
  });

  test("delete() expires the cookie; set() replaces by name", () => {
    const response = new NextResponse(null, {
      headers: [
        ["set-cookie", "a=1; Path=/"],
        ["set-cookie", "b=2"],
      ],
    });
    assert.equal(response.cookies.get("b")?.value, "2");
    response.cookies.set("a", "updated");
    response.cookies.delete("b");
    const lines = response.headers.getSetCookie();
    assert.equal(lines[0], "a=updated; Path=/; HttpOnly; SameSite=Lax");
    assert.equal(lines[1], "b=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax");
  });

  test("an invalid cookie name is refused before anything is written", () => {
    const response = NextResponse.next();
    response.cookies.set("ok", "1");
    assert.throws(() => response.cookies.set("bad name;", "x"), TypeError);
    assert.deepEqual(response.headers.getSetCookie(), ["ok=1; Path=/; HttpOnly; SameSite=Lax"]);
  });
});

describe("NextResponse", () => {
  test("json() keeps status and headers and is a NextResponse", async () => {
    const response = NextResponse.json({ ok: true }, { status: 201, headers: { "x-a": "1" } });
    assert.ok(response instanceof NextResponse && response instanceof Response);
    assert.equal(response.status, 201);
    assert.equal(response.headers.get("x-a"), "1");
    assert.match(response.headers.get("content-type")!, /application\/json/);
    assert.deepEqual(await response.json(), { ok: true });
    assert.equal(getMiddlewareSignal(response), undefined);
  });

  test("redirect(): 307 by default, status number or init, relative URLs as redirect() takes them", () => {
    const request = new NextRequest("http://localhost:3000/dashboard");
    const response = NextResponse.redirect(new URL("/login", request.url));
    assert.equal(response.status, 307);
    assert.equal(response.headers.get("location"), "http://localhost:3000/login");
    assert.equal(NextResponse.redirect("https://example.com/", 308).status, 308);
    assert.equal(NextResponse.redirect("https://example.com/", { status: 302, headers: { "x-b": "2" } }).headers.get("x-b"), "2");
    const withCookie = NextResponse.redirect(request.nextUrl.origin + "/login");
    withCookie.cookies.set("flash", "bye");
    assert.deepEqual(withCookie.headers.getSetCookie(), ["flash=bye; Path=/; HttpOnly; SameSite=Lax"]);
    // Like redirect() from tandem/server: a path is sent as it is, for the client to resolve.
    assert.equal(NextResponse.redirect("/login?next=/é").headers.get("location"), "/login?next=/%C3%A9");
    for (const bad of [() => NextResponse.redirect(""), () => NextResponse.redirect("http://h/", 200)]) {
      assert.throws(bad, (error: unknown) => error instanceof TandemError && error.code === "TND_ERR_REDIRECT_INVALID");
    }
  });

  test("next() and rewrite() are marked through signals, never headers", () => {
    const nextResponse = NextResponse.next({ headers: { "x-extra": "1" } });
    assert.equal(getMiddlewareSignal(nextResponse)?.kind, "next");
    assert.equal(nextResponse.headers.get("x-extra"), "1");
    const url = new NextRequest("http://localhost/about").nextUrl.clone();
    url.pathname = "/en/about";
    const rewritten = NextResponse.rewrite(url);
    const signal = getMiddlewareSignal(rewritten);
    assert.equal(signal?.kind === "rewrite" && signal.destination, "http://localhost/en/about");
    for (const response of [nextResponse, rewritten]) {
      for (const [name] of response.headers) assert.ok(!name.startsWith("x-middleware"), name);
    }
  });
});

test("nextUrl.pathname decodes percent-encoded unreserved characters, as the router will", () => {
  const cases: Array<[string, string]> = [
    ["/%61dmin/%73ecret", "/admin/secret"],
    ["/%41%7e%2d%2E%5f%30", "/A~-._0"],
    ["/a%2Fb/%25/caf%C3%A9/%40", "/a%2Fb/%25/caf%C3%A9/%40"],
    ["/plain", "/plain"],
  ];
  for (const [raw, expected] of cases) {
    const request = new NextRequest(new Request(`http://localhost${raw}?q=%61`));
    assert.equal(request.nextUrl.pathname, expected, raw);
    assert.equal(request.nextUrl.search, "?q=%61");
    assert.equal(new URL(request.url).pathname, raw, "request.url stays as sent");
  }
});
