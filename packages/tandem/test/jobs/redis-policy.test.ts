import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { test } from "node:test";
import { TandemError } from "../../src/errors/http-error.js";
import { evictionPolicy } from "../../src/jobs/bullmq/connection.js";
import { closeJobs, resetStandaloneJobs } from "../../src/jobs/context.js";
import { defineJob } from "../../src/jobs/define.js";
import { sleep } from "./support.js";

const REDIS_SERVER = "/usr/bin/redis-server";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test("reads maxmemory_policy from INFO memory", () => {
  assert.equal(evictionPolicy("# Memory\r\nused_memory:1\r\nmaxmemory_policy:allkeys-lru\r\n"), "allkeys-lru");
  assert.equal(evictionPolicy("# Memory\r\nmaxmemory_policy:noeviction\r\n"), "noeviction");
  assert.equal(evictionPolicy("# Memory\r\n"), undefined);
});

// A private redis-server: the shared one must keep noeviction, so we never reconfigure it.
test("refuses a Redis whose maxmemory-policy is not noeviction, saying why", async (t) => {
  if (!existsSync(REDIS_SERVER)) {
    if (process.env.CI === "true") throw new Error("redis-server is required under CI=true");
    return t.skip("redis-server binary not installed");
  }
  const port = await freePort();
  const server = spawn(
    REDIS_SERVER,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--maxmemory-policy", "allkeys-lru"],
    { stdio: "ignore" },
  );
  try {
    await sleep(300);
    await resetStandaloneJobs({ redisUrl: `redis://127.0.0.1:${port}`, prefix: "policy-test" });
    const job = defineJob({ name: "never", run: () => null });
    const error = await job.enqueue({}).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof TandemError, String(error));
    assert.equal(error.code, "TND_ERR_JOBS_REDIS_EVICTION");
    assert.match(error.message, /allkeys-lru/);
    assert.match(error.message, /noeviction/);
    // Still refused on the next call: a failed start is not cached as a working driver.
    const again = await job.enqueue({}).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(again instanceof TandemError && again.code === "TND_ERR_JOBS_REDIS_EVICTION");
  } finally {
    await closeJobs();
    server.kill("SIGKILL");
  }
});
