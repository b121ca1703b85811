import type { Job, JobState as BullState } from "bullmq";
import type { JobRecord, JobState } from "../types.js";

export function codeOf(message: string): string | undefined {
  return /\[(TND_ERR_[A-Z_]+)\]$/.exec(message)?.[1];
}

export function publicState(state: BullState | "unknown", cancelled: boolean): JobState | null {
  if (cancelled && state !== "completed") return "cancelled";
  switch (state) {
    case "waiting":
    case "prioritized":
    case "waiting-children":
      return "waiting";
    case "delayed":
    case "active":
    case "completed":
    case "failed":
      return state;
    default:
      return null;
  }
}

/**
 * The option Tandem stores the enqueuing request's id under. BullMQ keeps a job's options as given
 * (test/jobs/bullmq.test.ts holds it to that), and the data stays the app's payload, as it was.
 */
export const REQUEST_ID_OPTION = "tandemRequestId";

export function requestIdOf(job: Job): string | undefined {
  const id = (job.opts as Record<string, unknown>)[REQUEST_ID_OPTION];
  return typeof id === "string" ? id : undefined;
}

export function toRecord(job: Job, state: JobState, logs?: string[]): JobRecord {
  const raw = job.progress as unknown;
  const progress =
    typeof raw === "number" ? raw : typeof raw === "object" && raw !== null ? Number((raw as { value?: unknown }).value ?? 0) : 0;
  const message = typeof raw === "object" && raw !== null ? (raw as { message?: unknown }).message : undefined;
  const failed = state === "failed" || state === "cancelled" || (job.failedReason && job.attemptsMade > 0);
  const code = job.failedReason ? codeOf(job.failedReason) : undefined;
  const requestId = requestIdOf(job);
  return {
    id: job.id!,
    name: job.name,
    state,
    payload: job.data,
    ...(state === "completed" ? { result: job.returnvalue } : {}),
    ...(failed && job.failedReason
      ? {
          error: {
            message: job.failedReason,
            ...(code ? { code } : {}),
            ...(job.stacktrace?.length ? { stack: job.stacktrace.at(-1)! } : {}),
          },
        }
      : {}),
    attemptsMade: job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    priority: job.opts.priority ?? 0,
    progress: state === "completed" ? Math.max(progress, 100) : progress,
    ...(typeof message === "string" ? { progressMessage: message } : {}),
    ...(requestId === undefined ? {} : { requestId }),
    createdAt: job.timestamp,
    runAt: job.timestamp + (job.delay ?? 0),
    ...(job.processedOn ? { startedAt: job.processedOn } : {}),
    ...(job.finishedOn ? { finishedAt: job.finishedOn } : {}),
    ...(logs ? { logs } : {}),
  };
}
