// A redirect middleware answers with goes out as Next.js's router sends it: a Location on this
// app's own origin as a path (the client resolves it against the URL it asked for), and the
// target as the body when the middleware gave none.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createApp } from "../../src/app/create-app.js";
import { NextResponse } from "../../src/compat/next-server.js";
import { redirect } from "tandem/server";
import type { AppManifest, MiddlewareModule } from "../../src/app/types.js";
import { describeMatrix, quietLogger } from "../support/matrix.js";

const middleware: MiddlewareModule = {
  middleware(request: Request) {
    const url = new URL(request.url);
    if (url.pathname === "/same") return NextResponse.redirect(new URL("/after?x=1#top", request.url));
    if (url.pathname === "/permanent") return NextResponse.redirect(new URL("/after", request.url), 308);
    if (url.pathname === "/away") return NextResponse.redirect("https://example.com/elsewhere");
    if (url.pathname === "/app-scheme") return NextResponse.redirect("itms-apps://apps.apple.com/app/id1");
    if (url.pathname === "/with-body") {
      return new Response("moved", {
        status: 302,
        headers: { location: new URL("/after", request.url).href, "content-type": "text/plain" },
      });
    }
    if (url.pathname === "/cookie") {
      const response = NextResponse.redirect(new URL("/after", request.url));
      response.cookies.set("seen", "1");
      return response;
    }
    if (url.pathname === "/thrown") redirect("/after");
    return undefined;
  },
};

const manifest: AppManifest = {
  routes: [{ pattern: "/after", route: () => ({ GET: () => new Response("after") }) }],
  middleware: async () => middleware,
};

describeMatrix(
  "a redirect from middleware",
  () => createApp(manifest, { logger: quietLogger }),
  (fetch) => {
    test("a same-origin target goes out as a path, with the target as a body without a content type", async () => {
      const response = await fetch("/same");
      assert.equal(response.status, 307);
      assert.equal(response.headers.get("location"), "/after?x=1#top");
      assert.equal(response.headers.get("content-type"), null);
      assert.equal(await response.text(), "/after?x=1#top");
      const permanent = await fetch("/permanent");
      assert.equal(permanent.status, 308);
      assert.equal(permanent.headers.get("location"), "/after");
      assert.equal(await permanent.text(), "/after");
    });

    test("another origin or scheme stays absolute", async () => {
      const away = await fetch("/away");
      assert.equal(away.headers.get("location"), "https://example.com/elsewhere");
      assert.equal(await away.text(), "https://example.com/elsewhere");
      const scheme = await fetch("/app-scheme");
      assert.equal(scheme.headers.get("location"), "itms-apps://apps.apple.com/app/id1");
      await scheme.arrayBuffer();
    });

    test("the middleware's own body, headers and cookies are kept", async () => {
      const withBody = await fetch("/with-body");
      assert.equal(withBody.status, 302);
      assert.equal(withBody.headers.get("location"), "/after");
      assert.equal(withBody.headers.get("content-type"), "text/plain");
      assert.equal(await withBody.text(), "moved");
      const cookie = await fetch("/cookie");
      assert.equal(cookie.headers.get("location"), "/after");
      assert.match(cookie.headers.get("set-cookie") ?? "", /^seen=1/);
      await cookie.arrayBuffer();
    });

    test("redirect() thrown in middleware answers the same way", async () => {
      const thrown = await fetch("/thrown");
      assert.equal(thrown.status, 307);
      assert.equal(thrown.headers.get("location"), "/after");
      assert.equal(await thrown.text(), "/after");
    });
  },
);
