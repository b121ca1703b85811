import { Queue, Job, type JobType } from "bullmq";
import { createHash, randomUUID } from "node:crypto";
import type { DriverHost } from "../context.js";
import { cancelledError } from "../runner.js";
import { schedulesOf } from "../schedule.js";
import type { JobCounts, JobRecord, JobsDriver, JobState, RunningWorker } from "../types.js";
import { JOB_STATES } from "../types.js";
import { assertNoEviction, connect } from "./connection.js";
import { publicState, REQUEST_ID_OPTION, toRecord } from "./records.js";
import { startBullWorkers } from "./worker.js";

/** BullMQ's ErrorCode.SchedulerJobIdCollision, which it reports only in the message. */
const isSchedulerCollision = (error: unknown): boolean =>
  error instanceof Error && error.message.startsWith("Cannot create job scheduler iteration - job ID already exists");

const BULL_TYPES: Record<JobState, JobType[]> = {
  waiting: ["waiting", "prioritized"],
  delayed: ["delayed"],
  active: ["active"],
  completed: ["completed"],
  failed: ["failed"],
  cancelled: ["failed", "waiting", "prioritized", "delayed"],
};

export async function createBullmqDriver(host: DriverHost): Promise<JobsDriver> {
  const { config } = host;
  const url = config.redisUrl!;
  const redis = connect(url, "producer");
  try {
    await assertNoEviction(redis, url);
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  const prefix = config.prefix;
  const queues = new Map<string, Queue>();
  const localRuns = new Map<string, AbortController>();
  const workers = new Set<RunningWorker>();
  const cancelChannel = `${prefix}:tandem:cancel`;
  const cancelledKey = (name: string) => `${prefix}:${name}:tandem:cancelled`;
  let subscriber: ReturnType<typeof connect> | undefined;
  // Cancel marks mirrored in memory (loaded at worker start, then kept current over pub/sub),
  // so starting a job costs no extra Redis round trip.
  const cancelled = new Set<string>();
  const MAX_MIRRORED = 100_000;
  let workerConnection: ReturnType<typeof connect> | undefined;
  const keepSeconds = Math.ceil(config.keepCompleted / 1000);

  const queue = (name: string) => {
    let q = queues.get(name);
    if (!q) queues.set(name, (q = new Queue(name, { connection: redis, prefix })));
    return q;
  };
  const names = () => new Set([...host.names(), ...queues.keys()]);

  async function find(id: string, name?: string): Promise<Job | undefined> {
    for (const candidate of name ? [name] : names()) {
      const job = await Job.fromId(queue(candidate), id);
      if (job) return job;
    }
    return undefined;
  }

  async function record(found: Job, withLogs: boolean): Promise<JobRecord | null> {
    // State first, then the data: a job seen as completed or failed then carries its result or error
    // (reading the data first could pair an older snapshot with a newer state).
    const [bullState, marked] = await Promise.all([found.getState(), redis.hexists(cancelledKey(found.name), found.id!)]);
    const state = publicState(bullState, marked === 1);
    if (!state) return null;
    const job = (await Job.fromId(queue(found.name), found.id!)) ?? found;
    const logs = withLogs ? (await queue(job.name).getJobLogs(job.id!, -1000, -1)).logs : undefined;
    return toRecord(job, state, logs);
  }

  return {
    kind: "bullmq",
    async enqueue(job) {
      // The key maps to a deterministic BullMQ jobId: BullMQ returns the existing job instead of adding one.
      const jobId =
        job.key === undefined ? randomUUID() : `k-${createHash("sha256").update(`${job.name}\0${job.key}`).digest("hex").slice(0, 40)}`;
      const added = await queue(job.name).add(job.name, job.payload, {
        jobId,
        delay: Math.max(0, job.runAt - Date.now()),
        ...(job.priority > 0 ? { priority: job.priority } : {}),
        attempts: job.maxAttempts,
        backoff: { type: "tandem" },
        keepLogs: 1000,
        removeOnComplete: { age: keepSeconds },
        removeOnFail: { age: keepSeconds },
        ...(job.requestId === undefined ? {} : { [REQUEST_ID_OPTION]: job.requestId }),
      });
      host.emit({ type: "state", id: added.id!, name: job.name, state: job.runAt > Date.now() ? "delayed" : "waiting" });
      return { id: added.id!, created: true };
    },
    async get(id, name) {
      const job = await find(id, name);
      return job ? record(job, true) : null;
    },
    async cancel(id, name) {
      const job = await find(id, name);
      if (!job) return false;
      const state = await job.getState();
      if (state === "completed" || state === "failed" || state === "unknown") return false;
      if ((await redis.hsetnx(cancelledKey(job.name), id, String(Date.now()))) === 0) return false;
      // Waiting and delayed jobs are failed as cancelled by the first worker that sees them; promote makes that now.
      if (state === "delayed") await job.promote().catch(() => {});
      cancelled.add(id);
      await redis.publish(cancelChannel, `cancel:${id}`);
      localRuns.get(id)?.abort(cancelledError());
      host.emit({ type: "state", id, name: job.name, state: "cancelled" });
      return true;
    },
    async retry(id, name) {
      const job = await find(id, name);
      if (!job) return false;
      const state = await job.getState();
      if (state === "active" || state === "completed" || state === "unknown") return false;
      const unmarked = (await redis.hdel(cancelledKey(job.name), id)) === 1;
      cancelled.delete(id);
      // Published before the job is re-queued, so workers drop their mark before they can fetch it.
      if (unmarked) await redis.publish(cancelChannel, `retry:${id}`);
      // Cancelled while waiting: still queued, so clearing the mark is the whole retry.
      if (state !== "failed") return unmarked;
      await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
      host.emit({ type: "state", id, name: job.name, state: "waiting" });
      return true;
    },
    async list(options) {
      const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
      const types = options.state
        ? BULL_TYPES[options.state]
        : (["waiting", "prioritized", "delayed", "active", "completed", "failed"] as JobType[]);
      const out: JobRecord[] = [];
      for (const name of options.name ? [options.name] : names()) {
        const jobs = ((await queue(name).getJobs(types, 0, limit - 1)) as Job[]).filter(Boolean);
        for (const rec of await Promise.all(jobs.map((job) => record(job, false)))) {
          if (rec && (!options.state || rec.state === options.state)) out.push(rec);
        }
      }
      return out.sort((a, b) => b.createdAt - a.createdAt).slice(0, limit);
    },
    async counts() {
      const counts: JobCounts = {};
      for (const name of names()) {
        const c = await queue(name).getJobCounts("waiting", "prioritized", "delayed", "active", "completed", "failed");
        const cancelled = await redis.hlen(cancelledKey(name));
        const byState = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
        byState.waiting = (c.waiting ?? 0) + (c.prioritized ?? 0);
        byState.delayed = c.delayed ?? 0;
        byState.active = c.active ?? 0;
        byState.completed = c.completed ?? 0;
        byState.cancelled = cancelled;
        byState.failed = Math.max(0, (c.failed ?? 0) - cancelled);
        counts[name] = byState;
      }
      return counts;
    },
    async startWorker(jobs, settings) {
      workerConnection ??= connect(url, "worker");
      if (!subscriber) {
        subscriber = connect(url, "worker");
        await subscriber.subscribe(cancelChannel);
        subscriber.on("message", (_channel: string, message: string) => {
          const [kind, id = ""] = message.split(/:(.*)/s);
          if (kind === "retry") return void cancelled.delete(id);
          if (cancelled.size >= MAX_MIRRORED) cancelled.delete(cancelled.values().next().value!);
          cancelled.add(id);
          localRuns.get(id)?.abort(cancelledError());
        });
      }
      for (const s of await schedulesOf(jobs)) {
        // BullMQ job schedulers: one scheduler id per job, upserted by every worker, fired once per time by Redis.
        try {
          await queue(s.job.name).upsertJobScheduler(
            `tandem:${s.job.name}`,
            { pattern: s.pattern, ...(s.timezone ? { tz: s.timezone } : {}) },
            {
              name: s.job.name,
              data: s.payload,
              opts: {
                attempts: s.job.attempts,
                backoff: { type: "tandem" },
                keepLogs: 1000,
                removeOnComplete: { age: keepSeconds },
                removeOnFail: { age: keepSeconds },
              },
            },
          );
        } catch (error) {
          // Two workers starting together upsert the same scheduler at once; BullMQ refuses the
          // second one's first iteration (SchedulerJobIdCollision) because the first made it.
          if (!isSchedulerCollision(error)) throw error;
        }
      }
      for (const job of jobs) {
        for (const id of await redis.hkeys(cancelledKey(job.name))) cancelled.add(id);
      }
      const running = startBullWorkers(jobs, settings, {
        host,
        prefix,
        connection: workerConnection,
        localRuns,
        isCancelled: async (_name, id) => cancelled.has(id),
      });
      const handle: RunningWorker = {
        async close(deadlineMs) {
          await running.close(deadlineMs);
          workers.delete(handle);
        },
      };
      workers.add(handle);
      return handle;
    },
    async close() {
      await Promise.all([...workers].map((worker) => worker.close(0)));
      await Promise.all([...queues.values()].map((q) => q.close()));
      subscriber?.disconnect();
      workerConnection?.disconnect();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
