import { Cron } from "croner";
import { HttpError, TandemError } from "../errors/http-error.js";
import { checkName } from "./context.js";
import type { EnqueueOptions, JobDefinition, JobOptions, ResolvedJob } from "./types.js";

interface Registry {
  find(name: string): JobDefinition | undefined;
}

// BullMQ's priority range; the SQLite driver uses the same one so jobs move between drivers.
export const MAX_PRIORITY = 2_097_152;
const MAX_KEY_LENGTH = 512;

function bad(message: string): never {
  throw new TandemError("TND_ERR_JOB_BAD_DEFINITION", message);
}

function positiveInt(value: unknown, what: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    bad(`${what} must be an integer from ${min} to ${max}, got ${String(value)}.`);
  }
  return value;
}

/** Fails fast at defineJob() so a typo never becomes a job that silently never retries. */
export function checkDefinition(options: JobOptions<never, unknown>): void {
  if (typeof options !== "object" || options === null) bad("defineJob() needs an options object.");
  if (typeof options.run !== "function") bad("defineJob() needs a run(payload, ctx) function.");
  if (options.name !== undefined) checkName(options.name);
  const retries = options.retries ?? {};
  if (retries.attempts !== undefined) positiveInt(retries.attempts, "retries.attempts", 1, 1000);
  if (retries.backoff !== undefined && retries.backoff !== "fixed" && retries.backoff !== "exponential") {
    bad(`retries.backoff must be "fixed" or "exponential", got ${String(retries.backoff)}.`);
  }
  if (retries.delay !== undefined) positiveInt(retries.delay, "retries.delay (ms)", 0, 2 ** 31 - 1);
  if (retries.jitter !== undefined && !(typeof retries.jitter === "number" && retries.jitter >= 0 && retries.jitter <= 1)) {
    bad(`retries.jitter must be a number from 0 to 1, got ${String(retries.jitter)}.`);
  }
  if (options.timeout !== undefined) positiveInt(options.timeout, "timeout (ms)", 1, 2 ** 31 - 1);
  if (options.concurrency !== undefined) positiveInt(options.concurrency, "concurrency", 1, 10_000);
  if (options.priority !== undefined) positiveInt(options.priority, "priority", 0, MAX_PRIORITY);
  if (options.schedule !== undefined) {
    try {
      new Cron(options.schedule, { paused: true, timezone: options.timezone });
    } catch (error) {
      bad(`schedule "${options.schedule}" is not a valid cron pattern: ${(error as Error).message}`);
    }
  }
}

export function resolveJob(name: string, definition: JobDefinition): ResolvedJob {
  const { retries = {}, timeout, concurrency, priority = 0 } = definition.options;
  return {
    name,
    definition,
    attempts: retries.attempts ?? 3,
    backoff: retries.backoff ?? "exponential",
    delay: retries.delay ?? 1000,
    jitter: retries.jitter ?? 0.2,
    timeout,
    concurrency,
    priority,
  };
}

/** The latest registration of a running job's name: in dev, re-registered code runs without a worker restart. */
export function current(job: ResolvedJob, registry: Registry): ResolvedJob {
  const latest = registry.find(job.name);
  return latest && latest !== job.definition ? resolveJob(job.name, latest) : job;
}

function badOption(message: string): never {
  throw new HttpError("TND_ERR_JOB_BAD_OPTIONS", message);
}

/** Returns the absolute run time in ms. */
export function checkEnqueueOptions(options: EnqueueOptions, now: number): { runAt: number; key?: string; priority?: number } {
  let runAt = now;
  if (options.delay !== undefined) {
    if (typeof options.delay !== "number" || !Number.isFinite(options.delay) || options.delay < 0) {
      badOption(`delay must be a non-negative number of ms, got ${String(options.delay)}.`);
    }
    runAt = now + options.delay;
  }
  if (options.runAt !== undefined) {
    const at = options.runAt instanceof Date ? options.runAt.getTime() : options.runAt;
    if (typeof at !== "number" || !Number.isFinite(at)) badOption(`runAt must be a Date or epoch ms, got ${String(options.runAt)}.`);
    runAt = Math.max(at, now);
  }
  if (options.key !== undefined && (typeof options.key !== "string" || options.key.length === 0 || options.key.length > MAX_KEY_LENGTH)) {
    badOption(`key must be a non-empty string of at most ${MAX_KEY_LENGTH} characters.`);
  }
  if (options.priority !== undefined) {
    const p = options.priority;
    if (typeof p !== "number" || !Number.isInteger(p) || p < 0 || p > MAX_PRIORITY) {
      badOption(`priority must be an integer from 0 to ${MAX_PRIORITY}, got ${String(p)}.`);
    }
  }
  return { runAt: Math.round(runAt), key: options.key, priority: options.priority };
}
