import { test } from "node:test";
import { jobsConfig } from "../../src/jobs/config.js";
import { chaos } from "./chaos.js";
import { fresh, sqliteBackend } from "./support.js";

test("sqlite: 1,000 jobs survive 12 SIGKILLs of worker processes, none lost", { timeout: 90_000 }, async (t) => {
  const done = await fresh(sqliteBackend);
  try {
    await chaos(t, { CHAOS_DRIVER: "sqlite", CHAOS_DIR: jobsConfig().dataDir });
  } finally {
    await done();
  }
});
