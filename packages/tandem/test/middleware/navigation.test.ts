import assert from "node:assert/strict";
import { test } from "node:test";
import { toRedirectResponse } from "../../src/app/navigation.js";
import {
  isNotFoundError,
  isRedirectError,
  notFound,
  permanentRedirect,
  redirect,
  RedirectType,
  HttpError,
  TandemError,
} from "tandem/server";

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail("expected a throw");
}

test("redirect() throws a redirect error, 307 by default, relative URLs resolved against the request", () => {
  const error = caught(() => redirect("/login?callbackUrl=%2Fdashboard"));
  assert.ok(isRedirectError(error));
  assert.ok(!isNotFoundError(error));
  const response = toRedirectResponse(error, "http://localhost:3000/dashboard");
  assert.equal(response.status, 307);
  assert.equal(response.headers.get("location"), "http://localhost:3000/login?callbackUrl=%2Fdashboard");
  assert.equal(response.body, null);
});

test("path-relative and absolute targets", () => {
  const sibling = caught(() => redirect("settings"));
  assert.ok(isRedirectError(sibling));
  assert.equal(toRedirectResponse(sibling, "http://h/account/profile").headers.get("location"), "http://h/account/settings");
  const away = caught(() => redirect(new URL("https://example.com/x")));
  assert.ok(isRedirectError(away));
  assert.equal(toRedirectResponse(away, "http://h/").headers.get("location"), "https://example.com/x");
});

test("status choices: explicit status, RedirectType, permanentRedirect, caller override", () => {
  const found = caught(() => redirect("/a", 302));
  assert.ok(isRedirectError(found));
  assert.equal(toRedirectResponse(found, "http://h/").status, 302);
  const typed = caught(() => redirect("/a", RedirectType.push));
  assert.ok(isRedirectError(typed));
  assert.equal(toRedirectResponse(typed, "http://h/").status, 307);
  assert.match(typed.digest, /^NEXT_REDIRECT;push;\/a;307;$/);
  const permanent = caught(() => permanentRedirect("/new"));
  assert.ok(isRedirectError(permanent));
  assert.equal(toRedirectResponse(permanent, "http://h/").status, 308);
  // After a POST the caller asks for 303 so the browser follows with GET.
  assert.equal(toRedirectResponse(permanent, "http://h/", 303).status, 303);
});

test("the error is an HttpError whose own response is the redirect", () => {
  const error = caught(() => redirect("/ü/日本?q=1"));
  assert.ok(error instanceof HttpError);
  assert.equal(error.code, "TND_ERR_REDIRECT");
  const response = error.toResponse();
  assert.equal(response.status, 307);
  assert.equal(response.headers.get("location"), "/%C3%BC/%E6%97%A5%E6%9C%AC?q=1");
  assert.ok(isRedirectError(error));
  assert.equal(toRedirectResponse(error, "http://h/").headers.get("location"), "http://h/%C3%BC/%E6%97%A5%E6%9C%AC?q=1");
});

test("URLs containing ';' survive the Next.js digest format", () => {
  const error = caught(() => redirect("/a;b?x=1;2"));
  assert.ok(isRedirectError(error));
  assert.equal(toRedirectResponse(error, "http://h/").headers.get("location"), "http://h/a;b?x=1;2");
});

test("errors from another copy of the module are recognized by their Next.js digest", () => {
  const foreign = Object.assign(new Error("NEXT_REDIRECT"), { digest: "NEXT_REDIRECT;replace;/elsewhere;308;" });
  assert.ok(isRedirectError(foreign));
  const response = toRedirectResponse(foreign as never, "http://h/x");
  assert.equal(response.status, 308);
  assert.equal(response.headers.get("location"), "http://h/elsewhere");
  assert.ok(isNotFoundError({ digest: "NEXT_HTTP_ERROR_FALLBACK;404" }));
  for (const value of [
    null,
    undefined,
    "NEXT_REDIRECT",
    new Error("x"),
    { digest: "NEXT_REDIRECT;bogus;/a;307;" },
    { digest: "NEXT_REDIRECT;replace;/a;200;" },
  ]) {
    assert.equal(isRedirectError(value), false);
    assert.equal(isNotFoundError(value), false);
  }
});

test("notFound() throws a 404 HttpError", () => {
  const error = caught(() => notFound());
  assert.ok(isNotFoundError(error));
  assert.ok(!isRedirectError(error));
  assert.ok(error instanceof HttpError);
  assert.equal(error.status, 404);
  assert.equal(error.code, "TND_ERR_NOT_FOUND");
});

test("bad redirect input is a TandemError naming the value", () => {
  const cases: Array<[() => unknown, string]> = [
    [() => redirect(""), "non-empty"],
    [() => redirect("/a", 200 as never), "got 200"],
    [() => redirect("/a", "sideways" as never), "got sideways"],
    [() => redirect("http://[::1", 307), "unparsable"],
    [() => redirect(undefined as never), "got undefined"],
    [() => permanentRedirect("/a", "x" as never), "got x"],
  ];
  for (const [fn, mention] of cases) {
    const error = caught(fn);
    assert.ok(error instanceof TandemError, String(error));
    assert.equal(error.code, "TND_ERR_REDIRECT_INVALID");
    assert.ok(error.message.includes(mention), `${error.message} should mention ${mention}`);
  }
});

test("toRedirectResponse refuses errors that are not redirects", () => {
  assert.throws(() => toRedirectResponse(new Error("x") as never, "http://h/"), TypeError);
});
