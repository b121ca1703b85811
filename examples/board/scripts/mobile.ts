// "The mobile app": a client that knows the board API only through its OpenAPI document.
// Its types (board-api.d.ts) come from openapi-typescript, not from this repository's code:
//
//   npx openapi-typescript http://127.0.0.1:3000/openapi.json -o scripts/board-api.d.ts
//   BOARD_URL=http://127.0.0.1:3000 BOARD_TOKEN=dev-token node --import tsx scripts/mobile.ts
//
// Before talking to the API it reads /openapi.json from the server and stops, naming what is
// missing, if the running server no longer describes an operation this client was built against.
import type { paths } from "./board-api.js";

type Method = "get" | "post" | "patch" | "delete";
type Operation<P extends keyof paths, M extends Method> = paths[P][M];
type PathParams<O> = O extends { parameters: { path: infer X } } ? (X extends object ? X : never) : never;
// Routes that declare a body schema get it typed; plain handlers leave it open.
type Body<O> = O extends { requestBody: { content: { "application/json": infer B } } } ? B : Record<string, unknown>;
type Success<O> = O extends { responses: infer R }
  ? { [S in keyof R]: S extends 200 | 201 ? (R[S] extends { content: { "application/json": infer D } } ? D : unknown) : never }[keyof R]
  : unknown;

interface Call<P extends keyof paths, M extends Method> {
  params?: PathParams<Operation<P, M>>;
  body?: Body<Operation<P, M>>;
}

const baseUrl = (process.env.BOARD_URL ?? "http://127.0.0.1:3000").replace(/\/+$/, "");
const token = process.env.BOARD_TOKEN ?? "dev-token";
const timeout = () => AbortSignal.timeout(10_000);

const used: Array<[keyof paths, Method]> = [
  ["/api/health", "get"],
  ["/api/boards", "get"],
  ["/api/boards", "post"],
  ["/api/boards/{id}", "get"],
  ["/api/boards/{id}", "delete"],
  ["/api/boards/{id}/cards", "get"],
  ["/api/boards/{id}/cards", "post"],
  ["/api/boards/{id}/cards/{cardId}", "patch"],
];

async function request<P extends keyof paths, M extends Method>(
  path: P,
  method: M,
  call: Call<P, M> = {},
): Promise<Success<Operation<P, M>>> {
  const params = (call.params ?? {}) as Record<string, string>;
  const url = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    if (!params[name]) throw new Error(`${method.toUpperCase()} ${path}: missing path parameter "${name}"`);
    return encodeURIComponent(params[name]);
  });
  const headers: Record<string, string> = { accept: "application/json", authorization: `Bearer ${token}` };
  const init: RequestInit = { method: method.toUpperCase(), headers, signal: timeout() };
  if (call.body !== undefined) {
    headers["content-type"] = "application/json";
    init.body = JSON.stringify(call.body);
  }
  const response = await fetch(baseUrl + url, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${method.toUpperCase()} ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return (text === "" ? undefined : JSON.parse(text)) as Success<Operation<P, M>>;
}

/** Responses of undocumented routes are `unknown`: read fields only after checking them. */
function field(value: unknown, name: string): string {
  const found = (value as Record<string, unknown> | null)?.[name];
  if (typeof found !== "string") throw new Error(`expected a string "${name}" in ${JSON.stringify(value)}`);
  return found;
}

async function checkDocument(): Promise<void> {
  const response = await fetch(`${baseUrl}/openapi.json`, { signal: timeout() });
  if (!response.ok) throw new Error(`${baseUrl}/openapi.json answered ${response.status}; is the OpenAPI handler mounted?`);
  const document = (await response.json()) as { openapi?: string; paths?: Record<string, Record<string, unknown>> };
  const missing = used.filter(([path, method]) => !document.paths?.[path]?.[method]).map(([p, m]) => `${m.toUpperCase()} ${p}`);
  if (missing.length > 0) throw new Error(`the server's OpenAPI document lacks: ${missing.join(", ")}; regenerate board-api.d.ts`);
  console.log(`OpenAPI ${document.openapi}: ${Object.keys(document.paths ?? {}).length} paths, all ${used.length} operations present`);
}

async function main(): Promise<void> {
  await checkDocument();
  await request("/api/health", "get");
  const before = await request("/api/boards", "get");
  console.log(`boards before: ${Array.isArray(before) ? before.length : "?"}`);

  const board = await request("/api/boards", "post", { body: { title: "From the mobile app" } });
  const id = field(board, "id");
  const first = await request("/api/boards/{id}/cards", "post", { params: { id }, body: { title: "Buy milk" } });
  const second = await request("/api/boards/{id}/cards", "post", { params: { id }, body: { title: "Call home", body: "after 6pm" } });
  // Swap them: positions are explicit, so both cards get their new one.
  await request("/api/boards/{id}/cards/{cardId}", "patch", { params: { id, cardId: field(second, "id") }, body: { position: 0 } });
  await request("/api/boards/{id}/cards/{cardId}", "patch", { params: { id, cardId: field(first, "id") }, body: { position: 1 } });

  const cards = await request("/api/boards/{id}/cards", "get", { params: { id } });
  const titles = Array.isArray(cards) ? cards.map((card) => field(card, "title")) : [];
  console.log(`board ${id}: ${titles.join(", ")}`);
  if (titles.join() !== "Call home,Buy milk") throw new Error(`cards are not in the order the app set: ${titles.join(", ")}`);

  await request("/api/boards/{id}", "delete", { params: { id } });
  console.log(`board ${id} deleted; the mobile app is done`);
}

main().catch((error: unknown) => {
  console.error(`mobile: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
