import { UnrecoverableError, WaitingError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { backoffDelay } from "../backoff.js";
import type { DriverHost } from "../context.js";
import { runAttempt, shutdownError } from "../runner.js";
import { requestIdOf } from "./records.js";
import { current } from "../validate.js";
import type { ResolvedJob, RunningWorker, WorkerOptions } from "../types.js";

type Settings = Required<Omit<WorkerOptions, "signal" | "names">>;

export interface BullWorkerDeps {
  host: DriverHost;
  prefix: string;
  connection: Redis;
  localRuns: Map<string, AbortController>;
  isCancelled(name: string, id: string): Promise<boolean>;
}

const codeOf = (reason: unknown) => (reason as { code?: string } | undefined)?.code;

/** One BullMQ Worker per job name (BullMQ's unit of concurrency), sharing Tandem's runner. */
export function startBullWorkers(jobs: ResolvedJob[], settings: Settings, deps: BullWorkerDeps): RunningWorker {
  const byName = new Map(jobs.map((job) => [job.name, job]));
  const active = new Map<string, AbortController>();

  async function process(job: Job, token?: string): Promise<unknown> {
    const resolved = current(byName.get(job.name)!, deps.host);
    const id = job.id!;
    if (await deps.isCancelled(job.name, id)) throw new UnrecoverableError("The job was cancelled. [TND_ERR_JOB_CANCELLED]");
    const control = new AbortController();
    active.set(id, control);
    deps.localRuns.set(id, control);
    const attempt = job.attemptsMade + 1;
    deps.host.emit({ type: "state", id, name: job.name, state: "active", attempt });
    try {
      return await runAttempt(
        resolved,
        { id, payload: job.data, attempt, control, requestId: requestIdOf(job) },
        {
          progress: (value, message) => job.updateProgress(message === undefined ? value : { value, message }),
          log: async (line) => {
            await job.log(line);
          },
        },
        deps.host,
      );
    } catch (error) {
      const reason = control.signal.aborted ? control.signal.reason : undefined;
      if (codeOf(reason) === "TND_ERR_JOB_SHUTDOWN") {
        // Back to wait now, not after a lease: another worker takes it at once, no attempt is counted.
        await job.moveToWait(token);
        throw new WaitingError();
      }
      if (codeOf(reason) === "TND_ERR_JOB_CANCELLED") throw new UnrecoverableError((reason as Error).message);
      throw reason ?? error;
    } finally {
      active.delete(id);
      deps.localRuns.delete(id);
    }
  }

  const workers = jobs.map((job) => {
    const worker = new Worker(job.name, process, {
      connection: deps.connection,
      prefix: deps.prefix,
      concurrency: Math.min(job.concurrency ?? settings.concurrency, settings.concurrency),
      lockDuration: settings.lease,
      stalledInterval: settings.lease,
      maxStalledCount: settings.maxStalls,
      settings: {
        backoffStrategy: (attemptsMade: number) => backoffDelay(attemptsMade, job),
      },
    });
    worker.on("completed", (done) =>
      deps.host.emit({ type: "state", id: done.id!, name: done.name, state: "completed", attempt: done.attemptsMade + 1 }),
    );
    worker.on("failed", (failed, error) => {
      if (!failed || error instanceof WaitingError || error.name === "WaitingError") return;
      const final =
        (failed.finishedOn !== undefined && failed.attemptsMade >= (failed.opts.attempts ?? 1)) || error instanceof UnrecoverableError;
      deps.host.emit({
        type: "state",
        id: failed.id!,
        name: failed.name,
        state: final ? "failed" : "delayed",
        attempt: failed.attemptsMade,
        error: error.message,
      });
    });
    worker.on("error", (error) => settings.logger.error("[tandem/jobs] bullmq worker error:", error));
    return worker;
  });

  return {
    async close(deadlineMs = 10_000) {
      const closing = Promise.all(workers.map((worker) => worker.close()));
      let timer: NodeJS.Timeout | undefined;
      const late = await Promise.race([
        closing.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), Math.max(0, deadlineMs));
        }),
      ]);
      clearTimeout(timer);
      if (late) for (const control of active.values()) control.abort(shutdownError());
      await closing;
    },
  };
}
