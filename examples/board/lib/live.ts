import { publish } from "tandem/realtime";
import type { Card } from "./boards.js";

/** What the board's socket sends: a snapshot on every (re)connect, then changes as they happen. */
export type BoardEvent = { type: "card.created" | "card.updated"; card: Card } | { type: "card.deleted"; cardId: string };

export const boardTopic = (boardId: string) => `board:${boardId}`;

/**
 * Tells every browser looking at the board, on every instance when REDIS_URL is set.
 * At-most-once: a browser that is reconnecting misses it, which is why the socket sends a
 * fresh snapshot on every connect.
 */
export function publishBoardEvent(boardId: string, event: BoardEvent): Promise<void> {
  return publish(boardTopic(boardId), event);
}
