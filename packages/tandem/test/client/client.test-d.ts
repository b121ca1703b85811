// Type tests: checked by `tsc -p packages/tandem --noEmit` (part of `npm test`). Every expect-error
// directive below fails the type check if the misuse it marks ever compiles.
import { expectTypeOf } from "expect-type";
import { createClient, type ApiError, type PathsFor, type RouteClient } from "tandem/client";
import type { RouteParams, Routes } from "./fixtures/.tandem/types/routes.js";

const api = createClient<Routes>("http://127.0.0.1:3000");

type Board = { id: string; title: string; columns: string[]; createdAt: string };

export async function typeTests() {
  // Paths per method (useful for helpers); api(path) itself autocompletes every route.
  expectTypeOf<PathsFor<Routes, "PATCH">>().toEqualTypeOf<"/api/boards/[id]">();
  expectTypeOf<PathsFor<Routes, "GET">>().toEqualTypeOf<"/about" | "/api/boards" | "/api/boards/[id]" | "/api/files/[...path]">();

  // A route offers exactly the methods its file exports.
  expectTypeOf<keyof RouteClient<Routes["/api/boards/[id]"]>>().toEqualTypeOf<"GET" | "PATCH" | "DELETE">();

  // Params come from folder names.
  expectTypeOf<RouteParams["/api/files/[...path]"]>().toEqualTypeOf<{ path: string[] }>();
  expectTypeOf<RouteParams["/api/search/[[...terms]]"]>().toEqualTypeOf<{ terms?: string[] }>();

  // Response schema output is the data type; errors are typed too.
  const list = await api("/api/boards").GET({ query: { q: "road", limit: 5 } });
  if (list.ok) expectTypeOf(list.data).toEqualTypeOf<{ items: Board[]; total: number }>();
  else {
    expectTypeOf(list.error).toEqualTypeOf<ApiError>();
    expectTypeOf(list.error.issues).toEqualTypeOf<
      Array<{ location: "params" | "query" | "headers" | "body"; path: Array<string | number>; message: string }> | undefined
    >();
  }
  // Optional query: no init needed.
  await api("/api/boards").GET();

  // Status map: 2xx schema output.
  const created = await api("/api/boards").POST({ body: { title: "Roadmap" } });
  expectTypeOf(created.data).toEqualTypeOf<Board | undefined>();

  // Without a response schema, data is what the handler returns (valibot params here).
  const one = await api("/api/boards/[id]").GET({ params: { id: "1" } });
  if (one.ok) expectTypeOf(one.data).toEqualTypeOf<Board>();
  const removed = await api("/api/boards/[id]").DELETE({ params: { id: "1" } });
  if (removed.ok) expectTypeOf(removed.data).toEqualTypeOf<undefined>();

  // Reply<T> is unwrapped; form bodies go in `form`.
  const attached = await api("/api/boards/[id]/attachments").POST({
    params: { id: "1" },
    form: { file: new File(["x"], "x.txt"), note: "n" },
  });
  if (attached.ok) expectTypeOf(attached.data.size).toEqualTypeOf<number>();
  const searched = await api("/api/search/[[...terms]]").POST({ form: { tags: ["a", "b"] } });
  if (searched.ok) expectTypeOf(searched.data.terms).toEqualTypeOf<string[]>();

  // A plain handler: params typed, data unknown.
  const files = await api("/api/files/[...path]").GET({ params: { path: ["a", "b"] }, signal: AbortSignal.timeout(1000) });
  if (files.ok) expectTypeOf(files.data).toEqualTypeOf<unknown>();

  // --- misuse is a compile error ---
  // @ts-expect-error missing params
  await api("/api/boards/[id]").GET();
  // @ts-expect-error wrong param name
  await api("/api/boards/[id]").GET({ params: { boardId: "1" } });
  // @ts-expect-error catch-all needs an array
  await api("/api/files/[...path]").GET({ params: { path: "a/b" } });
  // @ts-expect-error wrong body type
  await api("/api/boards").POST({ body: { title: 42 } });
  // @ts-expect-error missing required body
  await api("/api/boards").POST({});
  // @ts-expect-error body field not in the schema's type
  await api("/api/boards/[id]").PATCH({ params: { id: "1" }, body: { title: "x", color: 1 } });
  // @ts-expect-error a multipart route takes `form`, not `body`
  await api("/api/boards/[id]/attachments").POST({ params: { id: "1" }, body: { note: "n" } });
  // @ts-expect-error the file is required
  await api("/api/boards/[id]/attachments").POST({ params: { id: "1" }, form: { note: "n" } });
  // @ts-expect-error no body on a handler without a body schema
  await api("/api/boards/[id]").GET({ params: { id: "1" }, body: { x: 1 } });
  // @ts-expect-error unknown path
  await api("/api/nope").GET();
  // @ts-expect-error method not exported by the route
  await api("/api/boards/[id]").PUT({ params: { id: "1" } });
  // @ts-expect-error header must be a string
  await api("/api/boards").POST({ body: { title: "t" }, headers: { "x-request-id": 1 } });
}
