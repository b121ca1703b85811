import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import type { JobsConfig } from "../../src/jobs/config.js";
import { closeJobs, currentJobs, resetStandaloneJobs, type JobEventPublisher } from "../../src/jobs/context.js";
import type { JobDefinition, JobsDriver } from "../../src/jobs/types.js";
import { REDIS_URL } from "tandem-test-support/services";

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
  /** Settings for a fresh temp dir or Redis prefix, and a cleanup function. */
  configure(): { config: JobsConfig; cleanup: () => Promise<void> };
  /** A second, independent driver on the same store (what another process would have). */
  secondDriver(): Promise<JobsDriver>;
}

export const sqliteBackend: Backend = {
  kind: "sqlite",
  configure() {
    const dir = mkdtempSync(join(tmpdir(), "tandem-jobs-"));
    return { config: { dataDir: dir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  },
  async secondDriver() {
    const { createSqliteDriver } = await import("../../src/jobs/sqlite/driver.js");
    return createSqliteDriver(secondHost());
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
    return { config: { redisUrl: REDIS_URL, prefix }, cleanup: async () => deletePrefix(prefix) };
  },
  async secondDriver() {
    const { createBullmqDriver } = await import("../../src/jobs/bullmq/driver.js");
    return createBullmqDriver(secondHost());
  },
};

// Where job events go in the current test (conformance tests set it).
let publisher: JobEventPublisher | null = null;

export function setJobEventPublisher(next: JobEventPublisher | null): void {
  publisher = next;
}

/** A driver host like the test's jobs context, without its events: what another process would have. */
function secondHost() {
  const jobs = currentJobs();
  return {
    config: jobs.config,
    emit() {},
    find: (name: string) => jobs.find(name),
    names: () => jobs.names(),
    enter: <T>(fn: () => T) => fn(),
    logger: jobs.logger,
  };
}

export const registerJobs = (defs: Record<string, JobDefinition>) => currentJobs().register(defs);
export const jobsDriver = () => currentJobs().driver();
export const jobsConfig = () => currentJobs().config;

/** A fresh jobs context (store, registry, events) for code outside any app, around one test. */
export async function fresh(backend: Backend): Promise<() => Promise<void>> {
  publisher = null;
  const { config, cleanup } = backend.configure();
  await resetStandaloneJobs(config, { publish: (topic, event) => publisher?.(topic, event) });
  return async () => {
    await closeJobs();
    publisher = null;
    await cleanup();
  };
}
