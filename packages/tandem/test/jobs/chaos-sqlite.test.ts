import { test } from "node:test";
import { chaos, FULL } from "./chaos.js";
import { enqueueSurvivesKill } from "./durability.js";
import { fresh, jobsConfig, sqliteBackend } from "./support.js";

test(`sqlite: ${FULL ? "10,000 jobs survive 50" : "1,000 jobs survive 12"} SIGKILLs of worker processes, none lost`, {
  timeout: FULL ? 1_200_000 : 90_000,
}, async (t) => {
  const done = await fresh(sqliteBackend);
  try {
    await chaos(t, { CHAOS_DRIVER: "sqlite", CHAOS_DIR: jobsConfig().dataDir });
  } finally {
    await done();
  }
});

test("sqlite: an enqueue that resolved survives SIGKILL of the enqueueing process", { timeout: 60_000 }, async (t) => {
  const done = await fresh(sqliteBackend);
  try {
    const count = await enqueueSurvivesKill({ CHAOS_DRIVER: "sqlite", CHAOS_DIR: jobsConfig().dataDir });
    t.diagnostic(`${count} acknowledged enqueues, all found after SIGKILL`);
  } finally {
    await done();
  }
});
