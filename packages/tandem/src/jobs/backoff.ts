import type { ResolvedJob } from "./types.js";

/**
 * Wait before the next attempt, after `attemptsMade` failures (>= 1).
 * Same formula on both drivers (the BullMQ driver installs it as a custom strategy),
 * so the conformance suite can check timing against one definition.
 */
export function backoffDelay(
  attemptsMade: number,
  job: Pick<ResolvedJob, "backoff" | "delay" | "jitter">,
  random: () => number = Math.random,
): number {
  const base = job.backoff === "fixed" ? job.delay : job.delay * 2 ** Math.max(0, attemptsMade - 1);
  const capped = Math.min(base, 2 ** 31 - 1);
  if (job.jitter <= 0) return Math.round(capped);
  return Math.round(capped * (1 - job.jitter * random()));
}
