import { Redis } from "ioredis";
import { TandemError } from "../../errors/http-error.js";

/** Reads maxmemory_policy from INFO (works where CONFIG is disabled, as on many managed Redis). */
export function evictionPolicy(info: string): string | undefined {
  return /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
}

/**
 * Any other policy lets Redis delete keys under memory pressure, which for a queue means
 * silently losing jobs (and BullMQ's locks and indexes). Refuse before anything is written.
 */
export async function assertNoEviction(redis: Redis, url: string): Promise<void> {
  const policy = evictionPolicy(await redis.info("memory"));
  if (policy !== undefined && policy !== "noeviction") {
    throw new TandemError(
      "TND_ERR_JOBS_REDIS_EVICTION",
      `Redis at ${redactUrl(url)} has maxmemory-policy "${policy}": under memory pressure it would delete queued jobs. ` +
        "Set maxmemory-policy noeviction (redis.conf or CONFIG SET) before running jobs on it.",
    );
  }
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable REDIS_URL)";
  }
}

/** Blocking worker connections must retry forever (BullMQ requirement); producer ones fail fast. */
export function connect(url: string, kind: "producer" | "worker"): Redis {
  return new Redis(url, kind === "worker" ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 3, enableOfflineQueue: true });
}
