import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";

/** The calls this app makes, which node:sqlite and better-sqlite3 answer alike. */
interface Statement {
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number };
}
interface Connection {
  prepare(sql: string): Statement;
  exec(sql: string): void;
}

/**
 * Node's own SQLite where it has one (22.13 and newer: nothing to compile), else better-sqlite3.
 * better-sqlite3 12 aborts Node 24 when it collects a statement, and 13 needs Node 22.
 */
function open(file: string): Connection {
  const sqlite = (process.getBuiltinModule as (id: string) => unknown)("node:sqlite") as
    | { DatabaseSync: new (file: string) => Connection }
    | undefined;
  if (sqlite !== undefined) return new sqlite.DatabaseSync(file);
  const Database = createRequire(import.meta.url)("better-sqlite3") as new (file: string) => Connection;
  return new Database(file);
}

/** BOARD_DB overrides the file (tests use a temp file); the default lives in the app's data folder. */
const file = resolve(process.env.BOARD_DB ?? ".data/board.sqlite");
mkdirSync(dirname(file), { recursive: true });

const connection = open(file);

/** A row as a plain object: node:sqlite's have no prototype, which React refuses to pass to Client Components. */
const plain = (row: unknown): unknown => (row === undefined ? row : { ...(row as object) });

export const db = {
  prepare(sql: string): Statement {
    const statement = connection.prepare(sql);
    return {
      get: (...params) => plain(statement.get(...params)),
      all: (...params) => statement.all(...params).map(plain),
      run: (...params) => statement.run(...params),
    };
  },
  exec: (sql: string): void => connection.exec(sql),
  /** `fn` wrapped in BEGIN IMMEDIATE ... COMMIT, rolled back if it throws. */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
    return (...args) => {
      connection.exec("BEGIN IMMEDIATE");
      try {
        const result = fn(...args);
        connection.exec("COMMIT");
        return result;
      } catch (error) {
        connection.exec("ROLLBACK");
        throw error;
      }
    };
  },
};

db.exec("PRAGMA journal_mode = WAL");
db.exec("PRAGMA foreign_keys = ON");
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
