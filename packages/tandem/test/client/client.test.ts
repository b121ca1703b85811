import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createClient } from "tandem/client";
import { fillPath, toQueryString } from "../../src/client/path.js";
import { listen, type TestServer } from "../api/harness.js";
import { FIXTURE_ROUTES } from "./fixture-routes.js";
import type { Routes } from "./fixtures/.tandem/types/routes.js";

let server: TestServer;
before(async () => {
  server = await listen(FIXTURE_ROUTES);
});
after(() => server.close());

describe("typed client against a real server", () => {
  test("create, read, update, list, delete", async () => {
    const api = createClient<Routes>(server.url);
    const created = await api("/api/boards").POST({ body: { title: "Client board", columns: ["a"] } });
    assert.equal(created.ok, true);
    assert.equal(created.status, 201);
    const id = created.data!.id;
    const read = await api("/api/boards/[id]").GET({ params: { id } });
    assert.deepEqual(read.data, created.data);
    const patched = await api("/api/boards/[id]").PATCH({ params: { id }, body: { title: "Renamed" } });
    assert.equal(patched.data?.title, "Renamed");
    const list = await api("/api/boards").GET({ query: { q: "Renamed", limit: 10 } });
    assert.equal(list.ok && list.data.items.some((board) => board.id === id), true);
    const removed = await api("/api/boards/[id]").DELETE({ params: { id } });
    assert.equal(removed.status, 204);
    assert.equal(removed.data, undefined);
  });

  test("error responses are typed values, not exceptions", async () => {
    const api = createClient<Routes>(server.url);
    const invalid = await api("/api/boards").POST({ body: { title: "" } });
    assert.equal(invalid.ok, false);
    assert.equal(invalid.status, 400);
    assert.equal(invalid.error?.code, "TND_ERR_VALIDATION");
    assert.deepEqual(
      invalid.error?.issues?.map((issue) => [issue.location, issue.path]),
      [["body", ["title"]]],
    );
    const missing = await api("/api/boards/[id]").GET({ params: { id: "999999" } });
    assert.equal(missing.status, 404);
    assert.equal(missing.error?.message, "Board 999999 not found");
  });

  test("non-JSON errors get a client error code", async () => {
    const api = createClient<Routes>(server.url, {
      fetch: async () =>
        new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway", headers: { "content-type": "text/html" } }),
    });
    const result = await api("/about").GET();
    assert.deepEqual(result.error, { code: "TND_ERR_CLIENT_HTTP", message: "HTTP 502 Bad Gateway" });
    const broken = createClient<Routes>(server.url, {
      fetch: async () => new Response("{not json", { headers: { "content-type": "application/json" } }),
    });
    const bad = await broken("/about").GET();
    assert.equal(bad.ok, false);
    assert.equal(bad.error?.code, "TND_ERR_CLIENT_HTTP");
    assert.match(bad.error?.message ?? "", /malformed/);
  });

  test("multipart with a file, urlencoded form, catch-all params", async () => {
    const api = createClient<Routes>(server.url);
    const attached = await api("/api/boards/[id]/attachments").POST({
      params: { id: "42" },
      form: { file: new File(["abc"], "a.txt", { type: "text/plain" }) },
    });
    assert.deepEqual(attached.data, { board: "42", name: "a.txt", size: 3, text: "abc", note: null });
    const searched = await api("/api/search/[[...terms]]").POST({
      params: { terms: ["a b", "c/d"] },
      form: { tags: ["x", "y"], exact: "yes" },
    });
    assert.deepEqual(searched.data, { terms: ["a b", "c/d"], tags: ["x", "y"], exact: true });
    const files = await api("/api/files/[...path]").GET({ params: { path: ["docs", "read me.md"] } });
    assert.deepEqual(files.data, { path: ["docs", "read me.md"] });
    const text = await api("/about").GET();
    assert.equal(text.data, "about");
  });

  test("headers, credentials, custom fetch and shared headers", async () => {
    const seen: Array<{ url: string; init: RequestInit }> = [];
    let token = 0;
    const api = createClient<Routes>(`${server.url}/`, {
      headers: () => ({ authorization: `Bearer ${++token}` }),
      credentials: "include",
      fetch: (url, init) => {
        seen.push({ url, init });
        return fetch(url, init);
      },
    });
    await api("/api/boards").POST({ body: { title: "H" }, headers: { "x-request-id": "r1" } });
    await api("/api/boards").GET();
    assert.equal(seen[0]!.url, `${server.url}/api/boards`);
    const headers = new Headers(seen[0]!.init.headers);
    assert.equal(headers.get("authorization"), "Bearer 1");
    assert.equal(headers.get("x-request-id"), "r1");
    assert.equal(headers.get("content-type"), "application/json");
    assert.equal(seen[0]!.init.credentials, "include");
    assert.equal(new Headers(seen[1]!.init.headers).get("authorization"), "Bearer 2");
  });

  test("AbortSignal: per call and per client", async () => {
    const hang = createClient<Routes>(server.url, {
      fetch: (_url, init) => new Promise((_resolve, reject) => init.signal?.addEventListener("abort", () => reject(init.signal!.reason))),
    });
    const controller = new AbortController();
    const pending = hang("/about").GET({ signal: controller.signal });
    controller.abort(new Error("stop"));
    await assert.rejects(pending, /stop/);
    const clientWide = new AbortController();
    const api = createClient<Routes>(server.url, { signal: clientWide.signal });
    clientWide.abort();
    await assert.rejects(api("/api/boards").GET(), { name: "AbortError" });
  });

  test("a missing or empty param is refused before any request", async () => {
    const api = createClient<Routes>(server.url, { fetch: () => assert.fail("must not send") });
    await assert.rejects(api("/api/boards/[id]").GET({ params: { id: "" } }), /TND_ERR_CLIENT_PARAM/);
    await assert.rejects(api("/api/files/[...path]").GET({ params: { path: [] } }), /TND_ERR_CLIENT_PARAM/);
  });
});

describe("client path and query encoding", () => {
  test("fillPath", () => {
    assert.equal(fillPath("/api/boards/[id]", { id: "a/b?c" }), "/api/boards/a%2Fb%3Fc");
    assert.equal(fillPath("/docs/[[...slug]]", {}), "/docs");
    assert.equal(fillPath("/[[...slug]]", {}), "/");
    assert.equal(fillPath("/docs/[...slug]", { slug: ["a", "b c"] }), "/docs/a/b%20c");
  });
  test("toQueryString", () => {
    assert.equal(toQueryString({ a: ["1", 2], b: undefined, c: null, d: true, e: "x y" }), "?a=1&a=2&d=true&e=x+y");
    assert.equal(toQueryString({}), "");
  });
});
