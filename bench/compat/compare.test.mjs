// The comparison's own checks: `node --test bench/compat/` (not part of npm test, as the harness
// is not). A normalisation that hid a real difference would make every run look better than it is.
import assert from "node:assert/strict";
import { test } from "node:test";
import { diffViews, normaliseSetCookie, summariseHtml, toView } from "./compare.mjs";

const answer = (over = {}) => ({
  status: 200,
  headers: { "content-type": "application/json", ...over.headers },
  setCookies: over.setCookies ?? [],
  body: Buffer.from(over.body ?? "{}"),
  ...(over.status ? { status: over.status } : {}),
});

const diff = (next, tandem, testCase = {}) => diffViews(toView(answer(next), testCase, 3001), toView(answer(tandem), testCase, 3002));

test("Set-Cookie attributes compare in any order and case, values do not", () => {
  assert.equal(normaliseSetCookie("a=1; Path=/; HttpOnly; SameSite=Lax"), normaliseSetCookie("a=1; samesite=lax; httponly; path=/"));
  assert.notEqual(normaliseSetCookie("a=1; Path=/"), normaliseSetCookie("a=2; Path=/"));
  assert.deepEqual(
    diff({ setCookies: ["a=1; Path=/"] }, { setCookies: ["a=1; Path=/; HttpOnly"] }).map((d) => d.what),
    ["set-cookie"],
  );
});

test("JSON bodies compare by structure; ignored keys and ports drop out", () => {
  assert.deepEqual(diff({ body: '{"a":1,"b":[1,2]}' }, { body: '{ "b": [1, 2], "a": 1 }' }), []);
  assert.deepEqual(
    diff({ body: '{"a":1}' }, { body: '{"a":2}' }).map((d) => d.what),
    ["body"],
  );
  assert.deepEqual(diff({ body: '{"now":1}' }, { body: '{"now":2}' }, { ignore: ["json:now"] }), []);
  assert.deepEqual(diff({ body: '{"url":"http://127.0.0.1:3001/x"}' }, { body: '{"url":"http://localhost:3002/x"}' }), []);
});

test("Allow is a set; Vary drops each server's own names only", () => {
  assert.deepEqual(diff({ headers: { allow: "OPTIONS, POST" } }, { headers: { allow: "POST, OPTIONS" } }), []);
  assert.deepEqual(diff({ headers: { vary: "rsc, next-router-state-tree, Accept-Encoding" } }, { headers: { vary: "x-tandem-rsc" } }), []);
  assert.deepEqual(
    diff({ headers: { vary: "rsc, Cookie" } }, { headers: {} }).map((d) => d.what),
    ["header vary"],
  );
});

test("x-* headers count, the servers' own do not, a missing one shows as absent", () => {
  assert.deepEqual(diff({ headers: { "x-powered-by": "Next.js", "x-nextjs-cache": "HIT" } }, {}), []);
  const [only] = diff({ headers: { "x-custom": "1" } }, {});
  assert.deepEqual(only, { what: "header x-custom", next: "1", tandem: "(absent)" });
});

test("HTML compares by title and visible text of <main>, not markup or scripts", () => {
  const page = (inner) => `<html><head><title>T</title></head><body><nav>menu</nav><main>${inner}</main><script>x()</script></body></html>`;
  assert.deepEqual(summariseHtml(page("<p>Hello <b>you</b></p>")), { title: "T", text: "Hello you" });
  const html = { headers: { "content-type": "text/html; charset=utf-8" } };
  assert.deepEqual(diff({ ...html, body: page("<div>a</div>") }, { ...html, body: page("<p>a</p>") }), []);
  assert.deepEqual(
    diff({ ...html, body: page("a") }, { ...html, body: page("b") }).map((d) => d.what),
    ["body"],
  );
});

test("status and an empty against a non-empty body are differences", () => {
  const found = diff({ status: 500, body: "" }, { status: 400, body: '{"error":1}' }).map((d) => d.what);
  assert.deepEqual(found, ["status", "body"]);
});

test("a listening address percent-encoded in a query is normalised, another host is not", () => {
  const next = { status: 307, headers: { location: "/signin?callbackUrl=http%3A%2F%2Flocalhost%3A35589%2Fprivate" }, body: "" };
  const tandem = { status: 307, headers: { location: "/signin?callbackUrl=http%3A%2F%2Flocalhost%3A37533%2Fprivate" }, body: "" };
  assert.deepEqual(diff(next, tandem), []);
  const elsewhere = { ...tandem, headers: { location: "/signin?callbackUrl=http%3A%2F%2Fexample.com%3A37533%2Fprivate" } };
  assert.equal(diff(next, elsewhere).length, 1);
});
