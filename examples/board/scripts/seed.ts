// Fills a board through the typed client: paths, params, bodies and responses are checked by
// TypeScript against the route files (types from `tandem typegen`).
//
//   BOARD_URL=http://127.0.0.1:3000 BOARD_TOKEN=dev-token node --import tsx scripts/seed.ts "Big board" 2000
import { createClient } from "tandem/client";
import type { Routes } from "../.tandem/types/routes.js";

const baseUrl = process.env.BOARD_URL ?? "http://127.0.0.1:3000";
const token = process.env.BOARD_TOKEN ?? "dev-token";
const [title = "Seeded board", countText = "100"] = process.argv.slice(2);
const count = Number(countText);
if (!Number.isInteger(count) || count < 0 || count > 100_000)
  throw new Error(`card count must be an integer from 0 to 100000, got ${countText}`);

const api = createClient<Routes>(baseUrl, { headers: () => ({ authorization: `Bearer ${token}` }) });

const created = await api("/api/boards").POST({ body: { title } });
if (!created.ok) throw new Error(`creating the board failed: ${created.status} ${created.error.message}`);
const board = created.data;

// Ten requests in flight at a time: fast, without flooding the server.
let next = 0;
async function worker(): Promise<void> {
  while (next < count) {
    const n = ++next;
    const card = await api("/api/boards/[id]/cards").POST({
      params: { id: board.id },
      body: { title: `Card ${n}`, body: `Seeded card number ${n}.` },
    });
    if (!card.ok) throw new Error(`card ${n} failed: ${card.status} ${card.error.message}`);
  }
}
await Promise.all(Array.from({ length: Math.min(10, count) }, worker));

const cards = await api("/api/boards/[id]/cards").GET({ params: { id: board.id } });
if (!cards.ok) throw new Error(`listing cards failed: ${cards.status}`);
console.log(JSON.stringify({ board: board.id, cards: cards.data.length }));
