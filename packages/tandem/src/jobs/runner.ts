import { format } from "node:util";
import { TandemError } from "../errors/http-error.js";
import type { DriverHost } from "./context.js";
import type { JobError, ResolvedJob, RunContext } from "./types.js";
import { channels, traced } from "../tracing/channels.js";

const MAX_LOG_LINE = 4000;
// A loop that reports progress per item must not turn into a write and a broadcast per item.
const PROGRESS_EVERY_MS = 100;

export interface AttemptIO {
  progress(value: number, message: string | undefined): Promise<void>;
  log(line: string): Promise<void>;
}

export interface Attempt {
  id: string;
  payload: unknown;
  attempt: number;
  /** The request that enqueued the job, when the driver keeps it. */
  requestId?: string | undefined;
  /** Aborted by the worker: cancel, shutdown, lost lease. The reason says which. */
  control: AbortController;
}

export function cancelledError(): TandemError {
  return new TandemError("TND_ERR_JOB_CANCELLED", "The job was cancelled.");
}

export function shutdownError(): TandemError {
  return new TandemError("TND_ERR_JOB_SHUTDOWN", "The worker shut down before the job finished; it was released to another worker.");
}

export function toJobError(error: unknown): JobError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      message: error.message.slice(0, 4000),
      ...(typeof code === "string" ? { code } : {}),
      ...(error.stack ? { stack: error.stack.split("\n").slice(0, 20).join("\n") } : {}),
    };
  }
  return { message: String(error).slice(0, 4000) };
}

/**
 * Runs one attempt. Resolves with the handler's result, rejects with its error or with the
 * abort reason as soon as the signal fires: a handler that ignores its signal cannot hold a slot.
 */
export async function runAttempt(job: ResolvedJob, attempt: Attempt, io: AttemptIO, host: DriverHost): Promise<unknown> {
  const { control } = attempt;
  const timer =
    job.timeout === undefined
      ? undefined
      : setTimeout(
          () => control.abort(new TandemError("TND_ERR_JOB_TIMEOUT", `Job "${job.name}" timed out after ${job.timeout} ms.`)),
          job.timeout,
        );
  const ctx: RunContext = {
    id: attempt.id,
    name: job.name,
    attempt: attempt.attempt,
    signal: control.signal,
    requestId: attempt.requestId,
    async progress(value, message) {
      if (typeof value !== "number" || !Number.isFinite(value)) throw new TypeError("ctx.progress(value) needs a finite number.");
      latest = { value, text: message === undefined ? undefined : String(message).slice(0, MAX_LOG_LINE) };
      const wait = lastSent + PROGRESS_EVERY_MS - Date.now();
      if (wait <= 0) return sendProgress();
      trailing ??= setTimeout(() => void sendProgress().catch(() => {}), wait);
    },
    async log(...parts) {
      const line = format(...parts).slice(0, MAX_LOG_LINE);
      host.emit({ type: "log", id: attempt.id, name: job.name, line });
      await io.log(line);
    },
  };
  let latest: { value: number; text: string | undefined } | undefined;
  let lastSent = 0;
  let trailing: NodeJS.Timeout | undefined;
  async function sendProgress(): Promise<void> {
    clearTimeout(trailing);
    trailing = undefined;
    if (!latest) return;
    const { value, text } = latest;
    latest = undefined;
    lastSent = Date.now();
    host.emit({ type: "progress", id: attempt.id, name: job.name, progress: value, ...(text === undefined ? {} : { message: text }) });
    await io.progress(value, text);
  }
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(control.signal.reason);
    if (control.signal.aborted) onAbort();
    else control.signal.addEventListener("abort", onAbort, { once: true });
  });
  aborted.catch(() => {});
  const run = () => host.enter(() => job.definition.options.run(attempt.payload as never, ctx), attempt.requestId);
  try {
    const result = await Promise.race([
      Promise.resolve().then(() =>
        channels.job.hasSubscribers
          ? traced(channels.job, { name: job.name, id: attempt.id, attempt: attempt.attempt, requestId: attempt.requestId }, run)
          : run(),
      ),
      aborted,
    ]);
    // The last reported value is stored before the job is marked completed.
    if (trailing) await sendProgress().catch(() => {});
    return result;
  } finally {
    clearTimeout(trailing);
    clearTimeout(timer);
    if (onAbort) control.signal.removeEventListener("abort", onAbort);
  }
}
