import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Connection, OpenConnection } from "./connection.js";

// Queued jobs are one state; "waiting" vs "delayed" is derived from run_at when read.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  state TEXT NOT NULL,
  payload TEXT NOT NULL,
  result TEXT,
  error TEXT,
  attempts_made INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  stalls INTEGER NOT NULL DEFAULT 0,
  priority INTEGER NOT NULL DEFAULT 0,
  progress REAL NOT NULL DEFAULT 0,
  progress_message TEXT,
  key TEXT,
  created_at INTEGER NOT NULL,
  run_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  lease_until INTEGER,
  token TEXT,
  request_id TEXT
);
CREATE INDEX IF NOT EXISTS jobs_ready ON jobs (state, priority, run_at);
CREATE INDEX IF NOT EXISTS jobs_recent ON jobs (state, created_at);
CREATE UNIQUE INDEX IF NOT EXISTS jobs_key ON jobs (name, key) WHERE key IS NOT NULL;
CREATE TABLE IF NOT EXISTS job_logs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id TEXT NOT NULL,
  line TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS job_logs_job ON job_logs (job_id, seq);
CREATE TABLE IF NOT EXISTS job_schedules (
  name TEXT PRIMARY KEY,
  pattern TEXT NOT NULL,
  timezone TEXT,
  next_at INTEGER NOT NULL
);
`;

export type Durability = "full" | "normal";

/**
 * Opens jobs.sqlite in WAL mode. Enqueue uses a `full` connection: with WAL that fsyncs the log
 * at every commit, so an enqueue that resolved survives a power cut, not only a process crash.
 * Worker bookkeeping (claims, progress, completion) uses a `normal` connection: WAL still makes
 * each commit atomic and crash-safe for the process, and a power cut can at worst roll back the
 * last completions, which makes those jobs run again (at-least-once), never lose one.
 */
export function openDatabase(open: OpenConnection, dataDir: string, durability: Durability): Connection {
  mkdirSync(dataDir, { recursive: true });
  const db = open(join(dataDir, "jobs.sqlite"));
  // The busy timeout first: switching to WAL takes a lock that another process may hold.
  db.exec("PRAGMA busy_timeout = 10000");
  db.exec("PRAGMA journal_mode = WAL");
  db.exec(`PRAGMA synchronous = ${durability === "full" ? "FULL" : "NORMAL"}`);
  return db;
}

export function migrate(db: Connection): void {
  db.exec(SCHEMA);
  // Stores made before jobs carried the enqueuing request's id gain the column (NULL for old jobs).
  const columns = (db.prepare("SELECT name FROM pragma_table_info('jobs')").all() as Array<{ name: string }>).map((c) => c.name);
  if (columns.includes("request_id")) return;
  try {
    db.exec("ALTER TABLE jobs ADD COLUMN request_id TEXT");
  } catch (error) {
    // Another process (a worker starting beside the web process) added it first.
    if (!/duplicate column/i.test((error as Error).message)) throw error;
  }
}
