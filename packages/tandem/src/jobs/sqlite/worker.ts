import { randomUUID } from "node:crypto";
import { backoffDelay } from "../backoff.js";
import type { DriverHost } from "../context.js";
import { cancelledError, runAttempt, shutdownError, toJobError } from "../runner.js";
import type { ResolvedJob, RunningWorker, WorkerOptions } from "../types.js";
import type { Leases } from "./lease.js";
import type { Claimed } from "./store.js";
import { current } from "../validate.js";

type Settings = Required<Omit<WorkerOptions, "signal" | "names">>;
interface Running {
  job: Claimed;
  control: AbortController;
  done: Promise<void>;
}
interface Completion {
  id: string;
  token: string;
  result: string;
  resolve(ok: boolean): void;
}

// Idle workers check PRAGMA data_version this often: it costs no I/O and catches other processes' enqueues.
const POLL_MS = 20;

export interface WorkerDeps {
  host: DriverHost;
  leases: Leases;
  /** In-process enqueues wake workers at once through this. Returns an unsubscribe function. */
  onLocalEnqueue(listener: () => void): () => void;
  /** Cancels from this process abort the run at once; other processes notice at the next renewal. */
  localRuns: Map<string, AbortController>;
}

export class SqliteWorker implements RunningWorker {
  #jobs: Map<string, ResolvedJob>;
  #settings: Settings;
  #deps: WorkerDeps;
  #running = new Map<string, Running>();
  #perName = new Map<string, number>();
  #closing = false;
  #scheduled = false;
  #version = -1;
  #nextDue: number | null = null;
  #timers: NodeJS.Timeout[] = [];
  #unsubscribe: () => void;
  #prefix = randomUUID();
  #seq = 0;
  #completions: Completion[] = [];
  #backlog = false;
  #soon: NodeJS.Timeout | undefined;

  constructor(jobs: ResolvedJob[], settings: Settings, deps: WorkerDeps) {
    this.#jobs = new Map(jobs.map((job) => [job.name, job]));
    this.#settings = settings;
    this.#deps = deps;
    this.#unsubscribe = deps.onLocalEnqueue(() => this.#wake());
    const renewEvery = Math.max(50, Math.min(settings.lease / 3, 1000));
    this.#timers.push(setInterval(() => this.#poll(), POLL_MS));
    this.#timers.push(setInterval(() => this.#renew(), renewEvery));
    this.#timers.push(setInterval(() => this.#sweep(), Math.max(100, Math.min(settings.lease / 2, 5000))));
    for (const timer of this.#timers) timer.unref();
    this.#sweep();
    this.#wake();
  }

  #guard(what: string, fn: () => void): void {
    // SQLITE_BUSY past busy_timeout or a full disk must not kill the process; the next tick retries.
    try {
      fn();
    } catch (error) {
      this.#settings.logger.error(`[tandem/jobs] sqlite worker ${what} failed:`, error);
    }
  }

  #wake(): void {
    if (this.#scheduled || this.#closing) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#guard("claim", () => this.#claim());
    });
  }

  /**
   * With a backlog, claiming one job per finished job would cost a write transaction each; wait
   * until a quarter of the slots are free (or 2 ms pass) and claim them together.
   */
  #slotFreed(): void {
    const free = this.#settings.concurrency - this.#running.size;
    if (!this.#backlog || free * 4 >= this.#settings.concurrency) {
      this.#wake();
      return;
    }
    this.#soon ??= setTimeout(() => {
      this.#soon = undefined;
      this.#wake();
    }, 2);
  }

  #complete(id: string, token: string, result: string): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.#completions.length === 0) {
        setImmediate(() => {
          const batch = this.#completions;
          this.#completions = [];
          let results: boolean[] = [];
          this.#guard("complete", () => {
            results = this.#deps.leases.completeMany(batch);
          });
          batch.forEach((item, i) => item.resolve(results[i] ?? false));
        });
      }
      this.#completions.push({ id, token, result, resolve });
    });
  }

  #poll(): void {
    this.#guard("poll", () => {
      const version = this.#deps.leases.dataVersion();
      const due = this.#nextDue !== null && this.#nextDue <= Date.now();
      if (version !== this.#version || due) {
        this.#version = version;
        this.#wake();
      }
    });
  }

  #claim(): void {
    if (this.#closing) return;
    const free = this.#settings.concurrency - this.#running.size;
    if (free <= 0) return;
    const caps = new Map<string, number>();
    for (const [name, job] of this.#jobs) {
      const room = Math.min(free, (job.concurrency ?? Infinity) - (this.#perName.get(name) ?? 0));
      if (room > 0) caps.set(name, room);
    }
    if (caps.size === 0) return;
    const claimed = this.#deps.leases.claim(caps, free, this.#settings.lease, () => `${this.#prefix}:${++this.#seq}`);
    for (const job of claimed) this.#start(job);
    this.#backlog = claimed.length === free;
    if (this.#backlog) return;
    this.#nextDue = this.#deps.leases.nextDue([...caps.keys()]);
  }

  #start(claimed: Claimed): void {
    const job = current(this.#jobs.get(claimed.name)!, this.#deps.host);
    const control = new AbortController();
    this.#perName.set(job.name, (this.#perName.get(job.name) ?? 0) + 1);
    this.#deps.localRuns.set(claimed.id, control);
    const attempt = claimed.attempts_made + 1;
    this.#deps.host.emit({ type: "state", id: claimed.id, name: job.name, state: "active", attempt });
    const done = this.#execute(job, claimed, control, attempt).finally(() => {
      this.#running.delete(claimed.id);
      this.#deps.localRuns.delete(claimed.id);
      this.#perName.set(job.name, (this.#perName.get(job.name) ?? 1) - 1);
      this.#slotFreed();
    });
    this.#running.set(claimed.id, { job: claimed, control, done });
  }

  async #execute(job: ResolvedJob, claimed: Claimed, control: AbortController, attempt: number): Promise<void> {
    const { leases } = this.#deps;
    const { id, token } = claimed;
    try {
      const result = await runAttempt(
        job,
        { id, payload: JSON.parse(claimed.payload), attempt, control, requestId: claimed.request_id ?? undefined },
        {
          progress: async (value, message) => this.#guard("progress", () => leases.progress(id, token, value, message)),
          log: async (line) => this.#guard("log", () => leases.log(id, line)),
        },
        this.#deps.host,
      );
      if (await this.#complete(id, token, JSON.stringify(result ?? null))) {
        this.#deps.host.emit({ type: "state", id, name: job.name, state: "completed", attempt });
      }
    } catch (error) {
      const reason = control.signal.aborted ? control.signal.reason : undefined;
      if (reason !== undefined && (reason as { code?: string }).code === "TND_ERR_JOB_SHUTDOWN") {
        this.#guard("release", () => leases.release(id, token));
        return;
      }
      // Cancelled or lease lost: the row is no longer ours; the token check makes fail() a no-op.
      const retryable = attempt < job.attempts && (reason as { code?: string } | undefined)?.code !== "TND_ERR_JOB_CANCELLED";
      const retryAt = retryable ? Date.now() + backoffDelay(attempt, job) : undefined;
      const jobError = toJobError(reason ?? error);
      this.#guard("fail", () => {
        if (leases.fail(id, token, JSON.stringify(jobError), retryAt)) {
          this.#deps.host.emit({
            type: "state",
            id,
            name: job.name,
            state: retryAt === undefined ? "failed" : "delayed",
            attempt,
            error: jobError.message,
          });
        }
      });
    }
  }

  #renew(): void {
    if (this.#running.size === 0) return;
    this.#guard("renew", () => {
      const lost = this.#deps.leases.renew(
        [...this.#running.values()].map((run) => run.job),
        this.#settings.lease,
      );
      for (const id of lost) this.#running.get(id)?.control.abort(cancelledError());
    });
  }

  #sweep(): void {
    this.#guard("sweep", () => {
      if (this.#deps.leases.sweep(this.#settings.maxStalls) > 0) this.#wake();
    });
  }

  async close(deadlineMs = 10_000): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    this.#unsubscribe();
    const all = Promise.allSettled([...this.#running.values()].map((run) => run.done));
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), Math.max(0, deadlineMs));
      }),
    ]);
    clearTimeout(timer);
    if (late) {
      for (const run of this.#running.values()) run.control.abort(shutdownError());
      await all;
    }
    for (const timer of this.#timers) clearInterval(timer);
    clearTimeout(this.#soon);
  }
}
