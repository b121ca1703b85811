import { randomUUID } from "node:crypto";
import { db } from "./db.js";

export interface Board {
  id: string;
  title: string;
  createdAt: string;
}

export interface Card {
  id: string;
  boardId: string;
  title: string;
  body: string;
  position: number;
  createdAt: string;
  updatedAt: string;
}

const boardColumns = "id, title, created_at AS createdAt";
const cardColumns = "id, board_id AS boardId, title, body, position, created_at AS createdAt, updated_at AS updatedAt";

const q = {
  listBoards: db.prepare(`SELECT ${boardColumns} FROM boards ORDER BY created_at, id`),
  getBoard: db.prepare(`SELECT ${boardColumns} FROM boards WHERE id = ?`),
  insertBoard: db.prepare("INSERT INTO boards (id, title, created_at) VALUES (?, ?, ?)"),
  renameBoard: db.prepare("UPDATE boards SET title = ? WHERE id = ?"),
  deleteBoard: db.prepare("DELETE FROM boards WHERE id = ?"),
  listCards: db.prepare(`SELECT ${cardColumns} FROM cards WHERE board_id = ? ORDER BY position, created_at`),
  getCard: db.prepare(`SELECT ${cardColumns} FROM cards WHERE board_id = ? AND id = ?`),
  nextPosition: db.prepare("SELECT coalesce(max(position) + 1, 0) AS p FROM cards WHERE board_id = ?"),
  insertCard: db.prepare("INSERT INTO cards (id, board_id, title, body, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
  updateCard: db.prepare("UPDATE cards SET title = ?, body = ?, position = ?, updated_at = ? WHERE board_id = ? AND id = ?"),
  deleteCard: db.prepare("DELETE FROM cards WHERE board_id = ? AND id = ?"),
};

export function listBoards(): Board[] {
  return q.listBoards.all() as Board[];
}

export function getBoard(id: string): Board | undefined {
  return q.getBoard.get(id) as Board | undefined;
}

export function createBoard(title: string): Board {
  const board = { id: randomUUID(), title, createdAt: new Date().toISOString() };
  q.insertBoard.run(board.id, board.title, board.createdAt);
  return board;
}

export function renameBoard(id: string, title: string): Board | undefined {
  return q.renameBoard.run(title, id).changes === 0 ? undefined : getBoard(id);
}

export function deleteBoard(id: string): boolean {
  return q.deleteBoard.run(id).changes > 0;
}

export function listCards(boardId: string): Card[] {
  return q.listCards.all(boardId) as Card[];
}

export function getCard(boardId: string, id: string): Card | undefined {
  return q.getCard.get(boardId, id) as Card | undefined;
}

export const createCard = db.transaction((boardId: string, title: string, body: string): Card => {
  const now = new Date().toISOString();
  const { p } = q.nextPosition.get(boardId) as { p: number };
  const card: Card = { id: randomUUID(), boardId, title, body, position: p, createdAt: now, updatedAt: now };
  q.insertCard.run(card.id, boardId, title, body, p, now, now);
  return card;
});

export function updateCard(boardId: string, id: string, patch: Partial<Pick<Card, "title" | "body" | "position">>): Card | undefined {
  const card = getCard(boardId, id);
  if (card === undefined) return undefined;
  const next = { ...card, ...patch, updatedAt: new Date().toISOString() };
  q.updateCard.run(next.title, next.body, next.position, next.updatedAt, boardId, id);
  return next;
}

export function deleteCard(boardId: string, id: string): boolean {
  return q.deleteCard.run(boardId, id).changes > 0;
}

/**
 * Moves a card to `index` in the board's order and renumbers the others (0, 1, 2, ...) in one
 * transaction, so positions stay unique. Returns every card whose position changed.
 */
export const moveCard = db.transaction((boardId: string, id: string, index: number): Card[] | undefined => {
  const cards = listCards(boardId);
  const from = cards.findIndex((c) => c.id === id);
  if (from === -1) return undefined;
  const [card] = cards.splice(from, 1);
  cards.splice(Math.min(Math.max(index, 0), cards.length), 0, card!);
  const now = new Date().toISOString();
  const changed: Card[] = [];
  cards.forEach((c, position) => {
    if (c.position === position) return;
    const next = { ...c, position, updatedAt: now };
    q.updateCard.run(next.title, next.body, position, now, boardId, c.id);
    changed.push(next);
  });
  return changed;
});
