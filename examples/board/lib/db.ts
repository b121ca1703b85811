import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** BOARD_DB overrides the file (tests use a temp file); the default lives in the app's data folder. */
const file = resolve(process.env.BOARD_DB ?? ".data/board.sqlite");
mkdirSync(dirname(file), { recursive: true });

export const db = new Database(file);
db.pragma("journal_mode = WAL");
db.pragma("foreign_keys = ON");
db.exec(`
  CREATE TABLE IF NOT EXISTS boards (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS cards (
    id TEXT PRIMARY KEY,
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS cards_by_board ON cards(board_id, position);
`);

// A fresh install shows something on first start.
if ((db.prepare("SELECT count(*) AS n FROM boards").get() as { n: number }).n === 0) {
  const now = new Date().toISOString();
  db.prepare("INSERT INTO boards (id, title, created_at) VALUES (?, ?, ?)").run("welcome", "Welcome to Tandem", now);
  const card = db.prepare(
    "INSERT INTO cards (id, board_id, title, body, position, created_at, updated_at) VALUES (?, 'welcome', ?, ?, ?, ?, ?)",
  );
  card.run("welcome-1", "Read the README", "npm install && npm start serves this board.", 0, now, now);
  card.run("welcome-2", "Call the API", "curl http://localhost:3000/api/boards", 1, now, now);
}
