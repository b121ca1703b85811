import { defineSocket } from "tandem/realtime";
import { getBoard, listCards } from "@/lib/boards";
import { boardTopic } from "@/lib/live";

// ws://<host>/api/boards/<id>: a snapshot of the cards on connect, then every change to them.
// Read-only: changes go through the API (behind the middleware's token) and are published there.
export default defineSocket({
  upgrade(_request, { params }) {
    const boardId = String(params.id);
    if (getBoard(boardId) === undefined) {
      return Response.json({ error: { code: "NOT_FOUND", message: `No board "${boardId}".` } }, { status: 404 });
    }
    return { data: { boardId } };
  },
  // Clients may follow a background job they started (an export): job ids are random UUIDs.
  subscribe(_peer, topic) {
    return /^jobs:[0-9a-f-]{36}$/.test(topic);
  },
  open(peer) {
    peer.subscribe(boardTopic(peer.data.boardId));
    peer.send({ type: "snapshot", cards: listCards(peer.data.boardId) });
  },
});
