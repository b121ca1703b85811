import { resolve } from "node:path";
import { TandemError } from "../errors/http-error.js";
import { requirePackages } from "../optional/require-package.js";
import type { JobsDriver } from "./types.js";

export interface JobsConfig {
  /** Use BullMQ on this Redis. Default process.env.REDIS_URL; unset means the SQLite driver. */
  redisUrl?: string;
  /** Folder for jobs.sqlite. Default `<cwd>/.data`. */
  dataDir?: string;
  /** Key prefix for BullMQ queues. Default "tandem". */
  prefix?: string;
  /** Max JSON payload bytes. Default 1 MiB. */
  payloadLimit?: number;
  /** Completed jobs kept for inspection and key de-duplication. Default 7 days (ms). */
  keepCompleted?: number;
}

export interface ResolvedConfig {
  redisUrl: string | undefined;
  dataDir: string;
  prefix: string;
  payloadLimit: number;
  keepCompleted: number;
}

let config: JobsConfig = {};
let driver: Promise<JobsDriver> | null = null;

/** Set before the first enqueue or worker start; the driver is chosen once per process. */
export function configureJobs(next: JobsConfig): void {
  if (driver) throw new TandemError("TND_ERR_JOBS_CONFIG", "configureJobs() must run before the first enqueue or worker start.");
  if (next.payloadLimit !== undefined && !(Number.isInteger(next.payloadLimit) && next.payloadLimit > 0)) {
    throw new TandemError("TND_ERR_JOBS_CONFIG", "payloadLimit must be a positive integer (bytes).");
  }
  if (next.prefix !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(next.prefix)) {
    throw new TandemError("TND_ERR_JOBS_CONFIG", "prefix must be 1-64 letters, digits, '_', '.' or '-'.");
  }
  config = { ...config, ...next };
  resolved = null;
}

let resolved: ResolvedConfig | null = null;

/** Resolved once per configuration: enqueue reads it on every call. */
export function jobsConfig(): ResolvedConfig {
  return (resolved ??= {
    redisUrl: config.redisUrl ?? (process.env.REDIS_URL || undefined),
    dataDir: resolve(config.dataDir ?? resolve(process.cwd(), ".data")),
    prefix: config.prefix ?? "tandem",
    payloadLimit: config.payloadLimit ?? 1024 * 1024,
    keepCompleted: config.keepCompleted ?? 7 * 24 * 3600_000,
  });
}

/** The process-wide driver, created at first use. The unused driver's dependency is never loaded. */
export function getJobsDriver(): Promise<JobsDriver> {
  driver ??= (async () => {
    const resolved = jobsConfig();
    if (resolved.redisUrl) {
      requirePackages(["bullmq", "ioredis"], "Jobs on Redis (REDIS_URL is set)");
      const { createBullmqDriver } = await import("./bullmq/driver.js");
      return createBullmqDriver(resolved);
    }
    requirePackages(["better-sqlite3"], "Jobs (stored in SQLite when REDIS_URL is not set)");
    const { createSqliteDriver } = await import("./sqlite/driver.js");
    return createSqliteDriver(resolved);
  })();
  // A failed start (bad Redis policy) must not be cached: the next call tries again and fails loudly again.
  driver.catch(() => {
    driver = null;
  });
  return driver;
}

/** Close the driver (connections, database). Tests and graceful shutdown call it last. */
export async function closeJobs(): Promise<void> {
  const current = driver;
  driver = null;
  config = {};
  resolved = null;
  if (current) await (await current.catch(() => null))?.close();
}
