// npm run client (with `npm run dev` running): the API through the typed client. Paths, params,
// bodies and results are checked by tsc against the route files (.tandem/types/routes.d.ts).
import { createClient } from "tandem/client";
import type { Routes } from "../.tandem/types/routes.js";

const api = createClient<Routes>(process.env.API_URL ?? "http://localhost:3000");

const created = await api("/api/todos").POST({ body: { title: "Try Tandem" } });
if (!created.ok) throw new Error(created.error.message);
await api("/api/todos/[id]").PATCH({ params: { id: created.data.id }, body: { done: true } });
const list = await api("/api/todos").GET({ query: { done: "true" } });
console.log(list.data);
