// Type tests: checked by `tsc -p packages/tandem --noEmit` (part of `npm test`). Every expect-error
// directive below fails the type check if the misuse it marks ever compiles.
import { expectTypeOf } from "expect-type";
import { createClient, type ApiError, type PathsFor } from "../../src/client/index.js";
import type { RouteParams, Routes } from "./fixtures/.tandem/types/routes.js";

const api = createClient<Routes>("http://127.0.0.1:3000");

type Board = { id: string; title: string; columns: string[]; createdAt: string };

export async function typeTests() {
  // Paths autocomplete per method: only routes exporting that method are offered.
  expectTypeOf<PathsFor<Routes, "PATCH">>().toEqualTypeOf<"/api/boards/[id]">();
  expectTypeOf<PathsFor<Routes, "GET">>().toEqualTypeOf<
    "/about" | "/api/boards" | "/api/boards/[id]" | "/api/files/[...path]"
  >();

  // Params come from folder names.
  expectTypeOf<RouteParams["/api/files/[...path]"]>().toEqualTypeOf<{ path: string[] }>();
  expectTypeOf<RouteParams["/api/search/[[...terms]]"]>().toEqualTypeOf<{ terms?: string[] }>();

  // Response schema output is the data type; errors are typed too.
  const list = await api.get("/api/boards", { query: { q: "road", limit: 5 } });
  if (list.ok) expectTypeOf(list.data).toEqualTypeOf<{ items: Board[]; total: number }>();
  else {
    expectTypeOf(list.error).toEqualTypeOf<ApiError>();
    expectTypeOf(list.error.issues).toEqualTypeOf<
      Array<{ location: "params" | "query" | "headers" | "body"; path: Array<string | number>; message: string }> | undefined
    >();
  }
  // Optional query: no init needed.
  await api.get("/api/boards");

  // Status map: 2xx schema output.
  const created = await api.post("/api/boards", { body: { title: "Roadmap" } });
  expectTypeOf(created.data).toEqualTypeOf<Board | undefined>();

  // Without a response schema, data is what the handler returns (valibot params here).
  const one = await api.get("/api/boards/[id]", { params: { id: "1" } });
  if (one.ok) expectTypeOf(one.data).toEqualTypeOf<Board>();
  const removed = await api.delete("/api/boards/[id]", { params: { id: "1" } });
  if (removed.ok) expectTypeOf(removed.data).toEqualTypeOf<undefined>();

  // Reply<T> is unwrapped; form bodies go in `form`.
  const attached = await api.post("/api/boards/[id]/attachments", {
    params: { id: "1" },
    form: { file: new File(["x"], "x.txt"), note: "n" },
  });
  if (attached.ok) expectTypeOf(attached.data.size).toEqualTypeOf<number>();
  const searched = await api.post("/api/search/[[...terms]]", { form: { tags: ["a", "b"] } });
  if (searched.ok) expectTypeOf(searched.data.terms).toEqualTypeOf<string[]>();

  // A plain handler: params typed, data unknown.
  const files = await api.get("/api/files/[...path]", { params: { path: ["a", "b"] }, signal: AbortSignal.timeout(1000) });
  if (files.ok) expectTypeOf(files.data).toEqualTypeOf<unknown>();

  // --- misuse is a compile error ---
  // @ts-expect-error missing params
  await api.get("/api/boards/[id]");
  // @ts-expect-error wrong param name
  await api.get("/api/boards/[id]", { params: { boardId: "1" } });
  // @ts-expect-error catch-all needs an array
  await api.get("/api/files/[...path]", { params: { path: "a/b" } });
  // @ts-expect-error wrong body type
  await api.post("/api/boards", { body: { title: 42 } });
  // @ts-expect-error missing required body
  await api.post("/api/boards", {});
  // @ts-expect-error body field not in the schema's type
  await api.patch("/api/boards/[id]", { params: { id: "1" }, body: { title: "x", color: 1 } });
  // @ts-expect-error a multipart route takes `form`, not `body`
  await api.post("/api/boards/[id]/attachments", { params: { id: "1" }, body: { note: "n" } });
  // @ts-expect-error the file is required
  await api.post("/api/boards/[id]/attachments", { params: { id: "1" }, form: { note: "n" } });
  // @ts-expect-error no body on a handler without a body schema
  await api.get("/api/boards/[id]", { params: { id: "1" }, body: { x: 1 } });
  // @ts-expect-error unknown path
  await api.get("/api/nope");
  // @ts-expect-error method not exported by the route
  await api.put("/api/boards/[id]", { params: { id: "1" } });
  // @ts-expect-error header must be a string
  await api.post("/api/boards", { body: { title: "t" }, headers: { "x-request-id": 1 } });
}
