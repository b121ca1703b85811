import { randomUUID } from "node:crypto";
import type { DriverEnqueue, JobCounts, JobRecord, JobState, ListOptions } from "../types.js";
import { JOB_STATES } from "../types.js";
import type { Connection, SqlValue } from "./connection.js";

export interface Row {
  id: string;
  name: string;
  state: string;
  payload: string;
  result: string | null;
  error: string | null;
  attempts_made: number;
  max_attempts: number;
  stalls: number;
  priority: number;
  progress: number;
  progress_message: string | null;
  key: string | null;
  created_at: number;
  run_at: number;
  started_at: number | null;
  finished_at: number | null;
  lease_until: number | null;
  token: string | null;
  request_id: string | null;
}

export interface Claimed {
  id: string;
  name: string;
  payload: string;
  attempts_made: number;
  token: string;
  request_id: string | null;
}

function publicState(row: Row, now: number): JobState {
  if (row.state === "queued") return row.run_at > now ? "delayed" : "waiting";
  return row.state as JobState;
}

export function toRecord(row: Row, now = Date.now(), logs?: string[]): JobRecord {
  return {
    id: row.id,
    name: row.name,
    state: publicState(row, now),
    payload: JSON.parse(row.payload),
    ...(row.result === null ? {} : { result: JSON.parse(row.result) }),
    ...(row.error === null ? {} : { error: JSON.parse(row.error) }),
    attemptsMade: row.attempts_made,
    maxAttempts: row.max_attempts,
    priority: row.priority,
    progress: row.progress,
    ...(row.progress_message === null ? {} : { progressMessage: row.progress_message }),
    ...(row.key === null ? {} : { key: row.key }),
    ...(row.request_id === null ? {} : { requestId: row.request_id }),
    createdAt: row.created_at,
    runAt: row.run_at,
    ...(row.started_at === null ? {} : { startedAt: row.started_at }),
    ...(row.finished_at === null ? {} : { finishedAt: row.finished_at }),
    ...(logs ? { logs } : {}),
  };
}

/** Reads and admin writes (cancel, retry) shared by the driver and its workers. */
export class Store {
  readonly db: Connection;
  #insert;
  #byKey;
  #get;
  #logs;
  #cancel;
  #retry;

  constructor(db: Connection) {
    this.db = db;
    this.#insert =
      db.prepare(`INSERT OR IGNORE INTO jobs (id, name, state, payload, max_attempts, priority, key, created_at, run_at, request_id)
      VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?)`);
    this.#byKey = db.prepare("SELECT id FROM jobs WHERE name = ? AND key = ?");
    this.#get = db.prepare("SELECT * FROM jobs WHERE id = ?");
    this.#logs = db.prepare("SELECT line FROM job_logs WHERE job_id = ? ORDER BY seq DESC LIMIT 1000");
    this.#cancel = db.prepare(`UPDATE jobs SET state = 'cancelled', finished_at = ?, lease_until = NULL, error = ?
      WHERE id = ? AND state IN ('queued', 'active')`);
    this.#retry = db.prepare(`UPDATE jobs SET state = 'queued', run_at = ?, attempts_made = 0, stalls = 0, error = NULL,
      finished_at = NULL, progress = 0, progress_message = NULL, token = NULL WHERE id = ? AND state IN ('failed', 'cancelled')`);
  }

  /** Inserts a batch in one transaction (one fsync for the whole group). */
  insertMany(jobs: DriverEnqueue[], now: number): Array<{ id: string; created: boolean }> {
    return this.db.immediate(() =>
      jobs.map((job) => {
        const id = randomUUID();
        const info = this.#insert.run(
          id,
          job.name,
          JSON.stringify(job.payload),
          job.maxAttempts,
          job.priority,
          job.key ?? null,
          now,
          job.runAt,
          job.requestId ?? null,
        );
        if (info.changes === 1) return { id, created: true };
        return { id: (this.#byKey.get(job.name, job.key ?? null) as { id: string }).id, created: false };
      }),
    );
  }

  get(id: string): JobRecord | null {
    const row = this.#get.get(id) as Row | undefined;
    if (!row) return null;
    return toRecord(row, Date.now(), (this.#logs.all(id) as Array<{ line: string }>).map((entry) => entry.line).reverse());
  }

  cancel(id: string, error: string): boolean {
    return this.#cancel.run(Date.now(), error, id).changes === 1;
  }

  retry(id: string): boolean {
    return this.#retry.run(Date.now(), id).changes === 1;
  }

  list(options: ListOptions): JobRecord[] {
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
    const now = Date.now();
    const where: string[] = [];
    const args: SqlValue[] = [];
    if (options.state === "waiting" || options.state === "delayed") {
      where.push("state = 'queued'", options.state === "waiting" ? "run_at <= ?" : "run_at > ?");
      args.push(now);
    } else if (options.state) {
      where.push("state = ?");
      args.push(options.state);
    }
    if (options.name) {
      where.push("name = ?");
      args.push(options.name);
    }
    const sql = `SELECT * FROM jobs ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, limit) as Row[]).map((row) => toRecord(row, now));
  }

  counts(): JobCounts {
    const rows = this.db
      .prepare(`SELECT name, state, run_at > ? AS later, count(*) AS n FROM jobs GROUP BY name, state, later`)
      .all(Date.now()) as Array<{ name: string; state: string; later: number; n: number }>;
    const counts: JobCounts = {};
    for (const row of rows) {
      const byState = (counts[row.name] ??= Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>);
      const state = row.state === "queued" ? (row.later ? "delayed" : "waiting") : (row.state as JobState);
      byState[state] += row.n;
    }
    return counts;
  }
}
