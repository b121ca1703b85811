import { Cron } from "croner";
import type { Schedule } from "../schedule.js";
import type { DriverEnqueue } from "../types.js";
import type { Connection } from "./connection.js";
import type { Store } from "./store.js";

function nextFire(schedule: Schedule, after: number): number | null {
  const next = new Cron(schedule.pattern, { paused: true, timezone: schedule.timezone }).nextRun(new Date(after));
  return next ? next.getTime() : null;
}

/**
 * Cron on SQLite. Each fire time is a row value (`next_at`) advanced inside a BEGIN IMMEDIATE
 * transaction, and the job it creates carries the key `cron:<fire time>`: however many workers
 * poll, each fire time yields one job. The row outlives restarts, so a fire missed while every
 * worker was down runs once at the next start.
 */
export class SqliteScheduler {
  #db: Connection;
  #store: Store;
  #schedules: Map<string, Schedule>;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #notify: () => void;
  #logger: Pick<Console, "error">;

  constructor(store: Store, schedules: Schedule[], notify: () => void, logger: Pick<Console, "error">) {
    // The store's (fsync-on-commit) connection: the fire and its job commit together or not at all.
    const db = store.db;
    this.#db = db;
    this.#store = store;
    this.#schedules = new Map(schedules.map((s) => [s.job.name, s]));
    this.#notify = notify;
    this.#logger = logger;
    const upsert = db.prepare(`INSERT INTO job_schedules (name, pattern, timezone, next_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (name) DO UPDATE SET pattern = excluded.pattern, timezone = excluded.timezone, next_at = excluded.next_at
      WHERE job_schedules.pattern IS NOT excluded.pattern OR job_schedules.timezone IS NOT excluded.timezone`);
    const now = Date.now();
    db.immediate(() => {
      for (const s of schedules) {
        const next = nextFire(s, now);
        if (next !== null) upsert.run(s.job.name, s.pattern, s.timezone ?? null, next);
      }
    });
    this.#loop();
  }

  #loop(): void {
    if (this.#closed) return;
    let wait = 1000;
    try {
      wait = this.#fire();
    } catch (error) {
      this.#logger.error("[tandem/jobs] cron tick failed:", error);
    }
    this.#timer = setTimeout(() => this.#loop(), Math.max(20, Math.min(wait, 1000)));
    this.#timer.unref();
  }

  /** Returns ms until the earliest next fire. */
  #fire(): number {
    const due = this.#db.prepare("SELECT name, next_at FROM job_schedules WHERE next_at <= ? AND name IN (SELECT value FROM json_each(?))");
    const advance = this.#db.prepare("UPDATE job_schedules SET next_at = ? WHERE name = ? AND next_at = ?");
    const now = Date.now();
    const fired = this.#db.immediate(() => {
      const jobs: DriverEnqueue[] = [];
      for (const row of due.all(now, JSON.stringify([...this.#schedules.keys()])) as Array<{ name: string; next_at: number }>) {
        const s = this.#schedules.get(row.name)!;
        const next = nextFire(s, now) ?? Number.MAX_SAFE_INTEGER;
        if (advance.run(next, row.name, row.next_at).changes !== 1) continue;
        jobs.push({
          name: row.name,
          payload: s.payload,
          runAt: row.next_at,
          key: `cron:${row.next_at}`,
          priority: s.job.priority,
          maxAttempts: s.job.attempts,
          requestId: undefined,
        });
      }
      if (jobs.length > 0) this.#store.insertMany(jobs, now);
      return jobs.length;
    });
    if (fired > 0) this.#notify();
    const { earliest } = this.#db
      .prepare("SELECT min(next_at) AS earliest FROM job_schedules WHERE name IN (SELECT value FROM json_each(?))")
      .get(JSON.stringify([...this.#schedules.keys()])) as { earliest: number | null };
    return earliest === null ? 1000 : earliest - Date.now();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }
}
