import { resolve } from "node:path";
import { TandemError } from "../errors/http-error.js";

/** An app's jobs settings: `jobs` in tandem.config.ts, plus the Redis URL from the environment. */
export interface JobsConfig {
  /** Use BullMQ on this Redis. Default process.env.REDIS_URL; unset means the SQLite driver. */
  redisUrl?: string;
  /** Folder for jobs.sqlite. Default `<cwd>/.data`; TANDEM_DATA_DIR overrides it. */
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

/** Checks the settings and fills in defaults; the environment (REDIS_URL, TANDEM_DATA_DIR) wins. */
export function resolveJobsConfig(config: JobsConfig = {}): ResolvedConfig {
  if (config.payloadLimit !== undefined && !(Number.isInteger(config.payloadLimit) && config.payloadLimit > 0)) {
    throw new TandemError("TND_ERR_JOBS_CONFIG", "jobs.payloadLimit must be a positive integer (bytes).");
  }
  if (config.prefix !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(config.prefix)) {
    throw new TandemError("TND_ERR_JOBS_CONFIG", "jobs.prefix must be 1-64 letters, digits, '_', '.' or '-'.");
  }
  if (config.keepCompleted !== undefined && !(Number.isInteger(config.keepCompleted) && config.keepCompleted >= 0)) {
    throw new TandemError("TND_ERR_JOBS_CONFIG", "jobs.keepCompleted must be a non-negative integer (ms).");
  }
  return {
    redisUrl: config.redisUrl || process.env.REDIS_URL || undefined,
    dataDir: resolve(process.env.TANDEM_DATA_DIR || config.dataDir || resolve(process.cwd(), ".data")),
    prefix: config.prefix ?? "tandem",
    payloadLimit: config.payloadLimit ?? 1024 * 1024,
    keepCompleted: config.keepCompleted ?? 7 * 24 * 3600_000,
  };
}
