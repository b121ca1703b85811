import type { DriverHost } from "../context.js";
import { cancelledError, toJobError } from "../runner.js";
import type { DriverEnqueue, JobsDriver, RunningWorker } from "../types.js";
import { loadSqlite } from "./connection.js";
import { Leases } from "./lease.js";
import { migrate, openDatabase } from "./schema.js";
import { schedulesOf } from "../schedule.js";
import { SqliteScheduler } from "./scheduler.js";
import { Store } from "./store.js";
import { SqliteWorker } from "./worker.js";

interface Pending {
  job: DriverEnqueue;
  resolve(value: { id: string; created: boolean }): void;
  reject(error: unknown): void;
}

export async function createSqliteDriver(host: DriverHost): Promise<JobsDriver> {
  const { config } = host;
  const open = await loadSqlite();
  const durable = openDatabase(open, config.dataDir, "full");
  migrate(durable);
  const fast = openDatabase(open, config.dataDir, "normal");
  const store = new Store(durable);
  const leases = new Leases(fast);
  const listeners = new Set<() => void>();
  const localRuns = new Map<string, AbortController>();
  const workers = new Set<RunningWorker>();
  let pending: Pending[] = [];
  let pruner: NodeJS.Timeout | undefined;
  const prune = () => {
    try {
      leases.prune(config.keepCompleted);
    } catch (error) {
      host.logger.error("[tandem/jobs] pruning finished jobs failed:", error);
    }
  };
  const notify = () => {
    for (const listener of listeners) listener();
  };

  // Group commit: every enqueue issued in the same turn of the event loop shares one transaction and one fsync.
  function flush(): void {
    const batch = pending;
    pending = [];
    try {
      const results = store.insertMany(
        batch.map((p) => p.job),
        Date.now(),
      );
      batch.forEach((p, i) => {
        const result = results[i]!;
        if (result.created)
          host.emit({ type: "state", id: result.id, name: p.job.name, state: p.job.runAt > Date.now() ? "delayed" : "waiting" });
        p.resolve(result);
      });
      notify();
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }

  return {
    kind: "sqlite",
    enqueue(job) {
      return new Promise((resolve, reject) => {
        if (pending.length === 0) setImmediate(flush);
        pending.push({ job, resolve, reject });
      });
    },
    async get(id) {
      return store.get(id);
    },
    async cancel(id) {
      const reason = cancelledError();
      const done = store.cancel(id, JSON.stringify(toJobError(reason)));
      if (done) {
        localRuns.get(id)?.abort(reason);
        const record = store.get(id);
        if (record) host.emit({ type: "state", id, name: record.name, state: "cancelled" });
      }
      return done;
    },
    async retry(id) {
      const done = store.retry(id);
      if (done) {
        const record = store.get(id);
        if (record) host.emit({ type: "state", id, name: record.name, state: "waiting" });
        notify();
      }
      return done;
    },
    async list(options) {
      return store.list(options);
    },
    async counts() {
      return store.counts();
    },
    async startWorker(jobs, settings) {
      if (!pruner) {
        prune();
        pruner = setInterval(prune, 60_000);
        pruner.unref();
      }
      const scheduler = new SqliteScheduler(store, await schedulesOf(jobs), notify, settings.logger);
      const worker = new SqliteWorker(jobs, settings, {
        host,
        leases,
        localRuns,
        onLocalEnqueue(listener) {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
      });
      const handle: RunningWorker = {
        async close(deadlineMs) {
          scheduler.close();
          await worker.close(deadlineMs);
          workers.delete(handle);
        },
      };
      workers.add(handle);
      return handle;
    },
    async close() {
      await Promise.all([...workers].map((worker) => worker.close(0)));
      clearInterval(pruner);
      if (pending.length > 0) flush();
      durable.close();
      fast.close();
    },
  };
}
