import { test } from "node:test";
import { needRedis, REDIS_URL } from "tandem-test-support/services";
import { chaos, FULL } from "./chaos.js";
import { enqueueSurvivesKill } from "./durability.js";
import { bullmqBackend, fresh, jobsConfig } from "./support.js";

test(`bullmq: ${FULL ? "10,000 jobs survive 50" : "1,000 jobs survive 12"} SIGKILLs of worker processes, none lost`, {
  timeout: FULL ? 1_200_000 : 90_000,
}, async (t) => {
  if (!(await needRedis(t))) return;
  const done = await fresh(bullmqBackend);
  try {
    await chaos(t, { CHAOS_DRIVER: "bullmq", CHAOS_REDIS: REDIS_URL, CHAOS_PREFIX: jobsConfig().prefix });
  } finally {
    await done();
  }
});

test("bullmq: an enqueue that resolved survives SIGKILL of the enqueueing process", { timeout: 60_000 }, async (t) => {
  if (!(await needRedis(t))) return;
  const done = await fresh(bullmqBackend);
  try {
    const count = await enqueueSurvivesKill({ CHAOS_DRIVER: "bullmq", CHAOS_REDIS: REDIS_URL, CHAOS_PREFIX: jobsConfig().prefix });
    t.diagnostic(`${count} acknowledged enqueues, all found after SIGKILL`);
  } finally {
    await done();
  }
});
