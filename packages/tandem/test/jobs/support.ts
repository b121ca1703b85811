import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { closeJobs, configureJobs, jobsConfig } from "../../src/jobs/config.js";
import { clearRegistry } from "../../src/jobs/registry.js";
import { setJobEventPublisher } from "../../src/jobs/events.js";
import type { JobsDriver } from "../../src/jobs/types.js";
import { REDIS_URL } from "../support/services.js";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeout = 5000): Promise<NonNullable<T>> {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** One backend under test: how to point the process-wide config at a fresh, isolated store. */
export interface Backend {
  kind: "sqlite" | "bullmq";
  /** Fresh temp dir or Redis prefix; returns a cleanup function. */
  configure(): () => Promise<void>;
  /** A second, independent driver on the same store (what another process would have). */
  secondDriver(): Promise<JobsDriver>;
}

export const sqliteBackend: Backend = {
  kind: "sqlite",
  configure() {
    const dir = mkdtempSync(join(tmpdir(), "tandem-jobs-"));
    configureJobs({ dataDir: dir });
    return async () => rmSync(dir, { recursive: true, force: true });
  },
  async secondDriver() {
    const { createSqliteDriver } = await import("../../src/jobs/sqlite/driver.js");
    return createSqliteDriver(jobsConfig());
  },
};

/** Deletes only this test's keys: the machine's Redis is shared with other tests. */
export async function deletePrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

export const bullmqBackend: Backend = {
  kind: "bullmq",
  configure() {
    const prefix = `tandem-test-${randomUUID().slice(0, 8)}`;
    configureJobs({ redisUrl: REDIS_URL, prefix });
    return async () => deletePrefix(prefix);
  },
  async secondDriver() {
    const { createBullmqDriver } = await import("../../src/jobs/bullmq/driver.js");
    return createBullmqDriver(jobsConfig());
  },
};

/** Resets process-wide jobs state around one test. */
export async function fresh(backend: Backend): Promise<() => Promise<void>> {
  await closeJobs();
  clearRegistry();
  setJobEventPublisher(null);
  const cleanup = backend.configure();
  return async () => {
    await closeJobs();
    clearRegistry();
    setJobEventPublisher(null);
    await cleanup();
  };
}
