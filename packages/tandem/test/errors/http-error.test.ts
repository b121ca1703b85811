import assert from "node:assert/strict";
import { test } from "node:test";
import { HttpError, TandemError } from "tandem/server";

test("status first: the status given is the one the client gets, with the app's own code", async () => {
  const error = new HttpError(403, "NOT_YOURS", "This board belongs to someone else.", { headers: { "x-reason": "owner" } });
  assert.equal(error.status, 403);
  assert.equal(error.code, "NOT_YOURS");
  assert.equal(error.message, "This board belongs to someone else.");
  const response = error.toResponse();
  assert.equal(response.status, 403);
  assert.equal(response.headers.get("x-reason"), "owner");
  assert.deepEqual(await response.json(), { error: { code: "NOT_YOURS", message: "This board belongs to someone else." } });
});

test("Tandem's own codes take their status from the registry", () => {
  assert.equal(new HttpError("TND_ERR_NOT_FOUND", "gone").status, 404);
  assert.equal(new HttpError("TND_ERR_NOT_FOUND", "gone", { status: 410 }).status, 410);
});

test("an app's own code without a status is refused, not answered with 500", () => {
  assert.throws(
    () => new HttpError("NOT_YOURS" as "TND_ERR_NOT_FOUND", "This board belongs to someone else."),
    (e: unknown) => e instanceof TandemError && e.code === "TND_ERR_HTTP_ERROR_STATUS" && /new HttpError\(403, "NOT_YOURS"/.test(e.message),
  );
  assert.equal(new HttpError("NOT_YOURS" as "TND_ERR_NOT_FOUND", "mine", { status: 409 }).status, 409);
});

test("a status outside 400-599 is a mistake in the code, said at once", () => {
  for (const status of [200, 302, 399, 600, 404.5, Number.NaN]) {
    assert.throws(
      () => new HttpError(status, "X", "y"),
      (e: unknown) => e instanceof TandemError && e.code === "TND_ERR_HTTP_ERROR_STATUS",
      String(status),
    );
  }
});
