import type { Connection } from "./connection.js";
import type { Claimed } from "./store.js";

const STALLED = JSON.stringify({
  code: "TND_ERR_JOB_STALLED",
  message: "The job's lease expired too many times (its worker kept dying mid-job).",
});

/**
 * Worker-side writes. Every write after the claim is conditioned on the claim token, so a
 * worker that lost its lease (frozen, partitioned) can never overwrite the job's new owner.
 */
export class Leases {
  #db: Connection;
  #select;
  #activate;
  #renew;
  #complete;
  #fail;
  #release;
  #sweep;
  #progress;
  #log;
  #nextDue;
  #version;
  #pruneLogs;
  #prune;

  constructor(db: Connection) {
    this.#db = db;
    this.#select = db.prepare(`SELECT id, name, payload, attempts_made, request_id FROM jobs
      WHERE state = 'queued' AND run_at <= ? AND name IN (SELECT value FROM json_each(?))
      ORDER BY priority, run_at LIMIT ?`);
    this.#activate = db.prepare(`UPDATE jobs SET state = 'active', token = ?, lease_until = ?, started_at = ?,
      progress = 0, progress_message = NULL WHERE id = ?`);
    this.#renew = db.prepare("UPDATE jobs SET lease_until = ? WHERE id = ? AND token = ? AND state = 'active'");
    this.#complete = db.prepare(`UPDATE jobs SET state = 'completed', result = ?, finished_at = ?, lease_until = NULL,
      progress = CASE WHEN progress < 100 THEN 100 ELSE progress END WHERE id = ? AND token = ? AND state = 'active'`);
    this.#fail = db.prepare(`UPDATE jobs SET state = ?, error = ?, attempts_made = attempts_made + 1, run_at = ?,
      finished_at = ?, lease_until = NULL, token = CASE WHEN ? = 'queued' THEN NULL ELSE token END
      WHERE id = ? AND token = ? AND state = 'active'`);
    this.#release = db.prepare(`UPDATE jobs SET state = 'queued', run_at = ?, lease_until = NULL, token = NULL
      WHERE id = ? AND token = ? AND state = 'active'`);
    this.#sweep = db.prepare(`UPDATE jobs SET stalls = stalls + 1, lease_until = NULL, token = NULL,
      state = CASE WHEN stalls + 1 > ? THEN 'failed' ELSE 'queued' END,
      error = CASE WHEN stalls + 1 > ? THEN ? ELSE error END,
      finished_at = CASE WHEN stalls + 1 > ? THEN ? ELSE NULL END, run_at = ?
      WHERE state = 'active' AND lease_until < ?`);
    this.#progress = db.prepare("UPDATE jobs SET progress = ?, progress_message = ? WHERE id = ? AND token = ? AND state = 'active'");
    this.#log = db.prepare(`INSERT INTO job_logs (job_id, line) SELECT ?, ? WHERE (SELECT count(*) FROM job_logs WHERE job_id = ?) < 1000`);
    this.#nextDue = db.prepare(`SELECT min(run_at) AS due FROM jobs WHERE state = 'queued' AND name IN (SELECT value FROM json_each(?))`);
    this.#version = db.prepare("PRAGMA data_version");
    const finished = "state IN ('completed', 'failed', 'cancelled') AND finished_at < ?";
    this.#pruneLogs = db.prepare(`DELETE FROM job_logs WHERE job_id IN (SELECT id FROM jobs WHERE ${finished})`);
    this.#prune = db.prepare(`DELETE FROM jobs WHERE ${finished}`);
  }

  /** BEGIN IMMEDIATE: two processes never claim the same row. Caps apply per job name. */
  claim(caps: Map<string, number>, limit: number, lease: number, newToken: () => string): Claimed[] {
    const names = JSON.stringify([...caps.keys()]);
    return this.#db.immediate(() => {
      const now = Date.now();
      const left = new Map(caps);
      const rows = this.#select.all(now, names, limit) as Omit<Claimed, "token">[];
      const claimed: Claimed[] = [];
      for (const row of rows) {
        const room = left.get(row.name) ?? 0;
        if (room <= 0) continue;
        left.set(row.name, room - 1);
        const token = newToken();
        this.#activate.run(token, now + lease, now, row.id);
        claimed.push({ ...row, token });
      }
      return claimed;
    });
  }

  /** Returns the ids whose lease could not be renewed (cancelled or taken by another worker). */
  renew(running: Array<{ id: string; token: string }>, lease: number): string[] {
    const until = Date.now() + lease;
    return this.#db.immediate(() => running.filter((job) => this.#renew.run(until, job.id, job.token).changes === 0).map((job) => job.id));
  }

  /** One transaction for every job that finished in the same turn of the event loop. */
  completeMany(done: Array<{ id: string; token: string; result: string }>): boolean[] {
    const now = Date.now();
    return this.#db.immediate(() => done.map((job) => this.#complete.run(job.result, now, job.id, job.token).changes === 1));
  }

  /** `retryAt` undefined means no attempts left: the job is failed for good. */
  fail(id: string, token: string, error: string, retryAt: number | undefined): boolean {
    const state = retryAt === undefined ? "failed" : "queued";
    const now = Date.now();
    return this.#fail.run(state, error, retryAt ?? now, retryAt === undefined ? now : null, state, id, token).changes === 1;
  }

  release(id: string, token: string): boolean {
    return this.#release.run(Date.now(), id, token).changes === 1;
  }

  /** Requeues jobs whose worker died (lease expired); fails those past maxStalls. */
  sweep(maxStalls: number): number {
    const now = Date.now();
    return this.#sweep.run(maxStalls, maxStalls, STALLED, maxStalls, now, now, now).changes;
  }

  /** Deletes finished jobs older than `keep` ms (their idempotency keys become free again). */
  prune(keep: number): number {
    const before = Date.now() - keep;
    return this.#db.immediate(() => {
      this.#pruneLogs.run(before);
      return this.#prune.run(before).changes;
    });
  }

  progress(id: string, token: string, value: number, message: string | undefined): void {
    this.#progress.run(value, message ?? null, id, token);
  }

  log(id: string, line: string): void {
    this.#log.run(id, line, id);
  }

  nextDue(names: string[]): number | null {
    return (this.#nextDue.get(JSON.stringify(names)) as { due: number | null }).due;
  }

  /** Changes when another connection (process) commits: a near-free way to notice new jobs. */
  dataVersion(): number {
    return (this.#version.get() as { data_version: number }).data_version;
  }
}
