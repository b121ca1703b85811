import { test } from "node:test";
import { jobsConfig } from "../../src/jobs/config.js";
import { needRedis, REDIS_URL } from "../support/services.js";
import { chaos } from "./chaos.js";
import { bullmqBackend, fresh } from "./support.js";

test("bullmq: 1,000 jobs survive 12 SIGKILLs of worker processes, none lost", { timeout: 90_000 }, async (t) => {
  if (!(await needRedis(t))) return;
  const done = await fresh(bullmqBackend);
  try {
    await chaos(t, { CHAOS_DRIVER: "bullmq", CHAOS_REDIS: REDIS_URL, CHAOS_PREFIX: jobsConfig().prefix });
  } finally {
    await done();
  }
});
