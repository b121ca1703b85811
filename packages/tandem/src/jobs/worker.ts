import { TandemError } from "../errors/http-error.js";
import { currentJobs, type JobsContext } from "./context.js";
import type { RunningWorker, WorkerOptions } from "./types.js";
import { resolveJob } from "./validate.js";

function positive(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new TandemError("TND_ERR_JOBS_CONFIG", `startWorker: ${what} must be a positive integer, got ${value}.`);
  return value;
}

/**
 * Runs registered jobs in this process until closed. Used by `tandem start` (role all/worker)
 * and `tandem worker`. Several workers (in one or many processes) may share one store.
 */
export async function startWorker(options: WorkerOptions = {}, jobsContext: JobsContext = currentJobs()): Promise<RunningWorker> {
  const settings = {
    concurrency: positive(options.concurrency, 10, "concurrency"),
    lease: positive(options.lease, 30_000, "lease (ms)"),
    maxStalls: positive(options.maxStalls, 5, "maxStalls"),
    logger: options.logger ?? console,
  };
  const registered = jobsContext.registered();
  for (const name of options.names ?? []) {
    if (!registered.has(name)) throw new TandemError("TND_ERR_JOB_UNKNOWN", `startWorker: no registered job is named "${name}".`);
  }
  const jobs = [...registered]
    .filter(([name]) => !options.names || options.names.includes(name))
    .map(([name, definition]) => resolveJob(name, definition));
  const driver = await jobsContext.driver();
  const worker = await driver.startWorker(jobs, settings);
  let closing: Promise<void> | undefined;
  const close = (deadlineMs?: number) => (closing ??= worker.close(deadlineMs));
  if (options.signal) {
    if (options.signal.aborted) await close();
    else options.signal.addEventListener("abort", () => void close(), { once: true });
  }
  return { close };
}
