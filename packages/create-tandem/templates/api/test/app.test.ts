import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createClient } from "tandem/client";
import { createTestApp, type TestApp, type TestMode } from "tandem/testing";
import type { Routes } from "../.tandem/types/routes.js";

// In memory by default (built, then served by this process); TANDEM_TEST_MODE=start or dev runs
// the same tests against `tandem start` or `tandem dev`.
let app: TestApp;
let api: ReturnType<typeof createClient<Routes>>;
before(async () => {
  app = await createTestApp(".", { mode: (process.env.TANDEM_TEST_MODE as TestMode | undefined) ?? "memory" });
  // The typed client takes a fetch: requests go straight to the app's handler in memory mode.
  api = createClient<Routes>(await app.origin(), { fetch: (input, init) => app.fetch(input, init) });
});
after(() => app?.close());

test("create, read, update, list and delete a todo through the typed client", async () => {
  const created = await api("/api/todos").POST({ body: { title: "  Write tests  " } });
  assert.equal(created.status, 201);
  assert.ok(created.ok);
  assert.equal(created.data.title, "Write tests");
  assert.equal(created.response.headers.get("location"), `/api/todos/${created.data.id}`);

  const id = created.data.id;
  const done = await api("/api/todos/[id]").PATCH({ params: { id }, body: { done: true } });
  assert.equal(done.data?.done, true);
  const finished = await api("/api/todos").GET({ query: { done: "true" } });
  assert.deepEqual(
    finished.data?.map((todo) => todo.id),
    [id],
  );
  const open = await api("/api/todos").GET({ query: { done: "false" } });
  assert.deepEqual(open.data, []);

  const removed = await api("/api/todos/[id]").DELETE({ params: { id } });
  assert.equal(removed.status, 204);
  const gone = await api("/api/todos/[id]").GET({ params: { id } });
  assert.equal(gone.status, 404);
  assert.equal(gone.error?.code, "TODO_NOT_FOUND");
});

test("invalid input is a 400 listing every problem, before any handler runs", async () => {
  const res = await app.fetch("/api/todos?limit=500", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ title: "" }),
  });
  assert.equal(res.status, 400);
  const { error } = (await res.json()) as { error: { code: string; issues: Array<{ location: string; path: string[] }> } };
  assert.equal(error.code, "TND_ERR_VALIDATION");
  assert.deepEqual(
    error.issues.map((issue) => [issue.location, issue.path.join(".")]),
    [["body", "title"]],
  );
  const badId = await api("/api/todos/[id]").GET({ params: { id: "not-a-uuid" } });
  assert.equal(badId.status, 400);
});

test("the OpenAPI document describes the routes from the same schemas", async () => {
  const res = await app.fetch("/openapi.json");
  assert.equal(res.status, 200);
  const doc = (await res.json()) as {
    openapi: string;
    info: { title: string };
    paths: Record<string, Record<string, { summary?: string }>>;
  };
  assert.match(doc.openapi, /^3\.1/);
  assert.equal(doc.info.title, "Todos API");
  assert.deepEqual(Object.keys(doc.paths["/api/todos/{id}"] ?? {}).sort(), ["delete", "get", "patch"]);
  assert.equal(doc.paths["/api/todos"]?.post?.summary, "Add a todo");
});
