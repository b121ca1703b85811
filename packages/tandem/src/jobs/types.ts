import type { StandardSchemaV1 } from "@standard-schema/spec";

export type JobState = "waiting" | "delayed" | "active" | "completed" | "failed" | "cancelled";
export const JOB_STATES: readonly JobState[] = ["waiting", "delayed", "active", "completed", "failed", "cancelled"];

export interface RetryOptions {
  /** Total attempts including the first run. Default 3. */
  attempts?: number;
  /** Default "exponential": delay * 2^(attempt-1). */
  backoff?: "fixed" | "exponential";
  /** Base delay in ms. Default 1000. */
  delay?: number;
  /** 0..1: the wait is drawn uniformly from [wait * (1 - jitter), wait]. Default 0.2. */
  jitter?: number;
}

export interface RunContext {
  /** Job id (stable across attempts). */
  id: string;
  name: string;
  /** 1 on the first run, then 2, 3... (a run lost to a dead worker does not count). */
  attempt: number;
  /** Aborted on cancel, timeout and worker shutdown. Pass it to fetch() and friends. */
  signal: AbortSignal;
  /**
   * The id of the request that enqueued the job (through a job that a request enqueued, too),
   * as `requestId(request)` gave it there: put it on log lines to follow a request into its jobs.
   * Undefined for jobs enqueued outside a request (cron, scripts) and with the BullMQ driver.
   */
  requestId: string | undefined;
  /** Publishes progress (a number, usually 0..100) on topic `jobs:<id>`. */
  progress(value: number, message?: string): Promise<void>;
  /** Appends a line to the job's log (kept with the job, shown in the dashboard). */
  log(...parts: unknown[]): Promise<void>;
}

export interface JobOptions<S extends StandardSchemaV1 | undefined, R> {
  /** Normally the file name under jobs/ (set by registerJobs). Give one for scripts and tests. */
  name?: string;
  schema?: S;
  run(payload: JobPayload<S>, ctx: RunContext): R | Promise<R>;
  retries?: RetryOptions;
  /** ms per attempt; none by default (long-running work is the point). */
  timeout?: number;
  /** Max concurrent runs of this job in one worker process. Default: the worker's concurrency. */
  concurrency?: number;
  /** Default priority for enqueue (lower runs first, 0 is the default and the most urgent). */
  priority?: number;
  /** Cron pattern (croner syntax, 5 or 6 fields). Fires once per time across all workers. */
  schedule?: string;
  /** Payload sent to run() by the schedule. Default {} (validated against the schema at startup). */
  schedulePayload?: JobInput<S>;
  /** IANA time zone for the schedule. Default the process time zone. */
  timezone?: string;
}

export type JobPayload<S> = S extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<S> : unknown;
export type JobInput<S> = S extends StandardSchemaV1 ? StandardSchemaV1.InferInput<S> : unknown;

export interface EnqueueOptions {
  /** ms from now. */
  delay?: number;
  /** Absolute start time (wins over delay). */
  runAt?: Date | number;
  /** Idempotency key: while a job of this name with this key exists, enqueue returns its id. */
  key?: string;
  priority?: number;
}

/** Normalized definition: what drivers and workers see. */
export interface JobDefinition<S extends StandardSchemaV1 | undefined = StandardSchemaV1 | undefined, R = unknown> {
  readonly kind: "tandem.job";
  readonly options: JobOptions<S, R>;
  /** Name given to defineJob or set by registerJobs. */
  readonly name: string | undefined;
  enqueue(payload: JobInput<S>, options?: EnqueueOptions): Promise<{ id: string }>;
  get(id: string): Promise<JobRecord<R> | null>;
  cancel(id: string): Promise<boolean>;
  retry(id: string): Promise<boolean>;
}

export interface JobError {
  message: string;
  code?: string;
  stack?: string;
}

export interface JobRecord<R = unknown> {
  id: string;
  name: string;
  state: JobState;
  payload: unknown;
  result?: R;
  error?: JobError;
  /** Failed attempts so far. */
  attemptsMade: number;
  maxAttempts: number;
  priority: number;
  progress: number;
  progressMessage?: string;
  key?: string;
  /** The id of the request that enqueued the job. */
  requestId?: string;
  createdAt: number;
  runAt: number;
  startedAt?: number;
  finishedAt?: number;
  logs?: string[];
}

export interface ListOptions {
  state?: JobState;
  name?: string;
  limit?: number;
}

export type JobCounts = Record<string, Record<JobState, number>>;

/** Resolved per-job settings a driver needs at enqueue and run time. */
export interface ResolvedJob {
  name: string;
  definition: JobDefinition;
  attempts: number;
  backoff: "fixed" | "exponential";
  delay: number;
  jitter: number;
  timeout: number | undefined;
  concurrency: number | undefined;
  priority: number;
}

export interface DriverEnqueue {
  name: string;
  payload: unknown;
  /** The request (or job) that enqueued it, for its log lines; undefined outside any. */
  requestId: string | undefined;
  runAt: number;
  key: string | undefined;
  priority: number;
  maxAttempts: number;
}

export interface WorkerOptions {
  /** Total concurrent runs in this process. Default 10. */
  concurrency?: number;
  /** Aborting it closes the worker with the default deadline. */
  signal?: AbortSignal;
  /** Only run these job names (default: every registered job). */
  names?: string[];
  /** ms a claimed job stays owned without renewal. Default 30 s; renewed every lease/3. */
  lease?: number;
  /** Lease expiries (dead workers) a job survives before it is failed. Default 5. */
  maxStalls?: number;
  /** Error sink for worker-internal problems. Default console. */
  logger?: Pick<Console, "error" | "warn">;
}

export interface RunningWorker {
  /** Stop taking jobs, wait up to deadlineMs (default 10 s) for running ones, then abort and release the rest. */
  close(deadlineMs?: number): Promise<void>;
}

export interface JobsDriver {
  readonly kind: "sqlite" | "bullmq";
  enqueue(job: DriverEnqueue): Promise<{ id: string; created: boolean }>;
  get(id: string, name?: string): Promise<JobRecord | null>;
  cancel(id: string, name?: string): Promise<boolean>;
  retry(id: string, name?: string): Promise<boolean>;
  list(options: ListOptions): Promise<JobRecord[]>;
  counts(): Promise<JobCounts>;
  startWorker(jobs: ResolvedJob[], options: Required<Omit<WorkerOptions, "signal" | "names">>): Promise<RunningWorker>;
  close(): Promise<void>;
}

export type JobEvent =
  | { type: "state"; id: string; name: string; state: JobState; attempt?: number; error?: string }
  | { type: "progress"; id: string; name: string; progress: number; message?: string }
  | { type: "log"; id: string; name: string; line: string };
