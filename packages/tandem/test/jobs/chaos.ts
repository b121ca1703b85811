import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { defineJob } from "../../src/jobs/define.js";
import { loadSqlite } from "../../src/jobs/sqlite/connection.js";
import { jobsDriver, sleep, waitFor } from "./support.js";

const FIXTURE = fileURLToPath(new URL("./fixtures/chaos-worker.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
// TANDEM_RELIABILITY=full runs the heavy variant of docs/reliability.md.
export const FULL = process.env.TANDEM_RELIABILITY === "full";
const JOBS = FULL ? 10_000 : 1000;
const KILLS = FULL ? 50 : 12;

interface Child {
  process: ChildProcess;
  ready: Promise<void>;
}

function spawnWorker(env: Record<string, string>): Child {
  const child = spawn(process.execPath, ["--import", "tsx", FIXTURE], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve();
    });
    child.once("exit", () => reject(new Error("worker exited before ready")));
  });
  ready.catch(() => {});
  return { process: child, ready };
}

/**
 * Enqueue 1,000 jobs (10,000 with TANDEM_RELIABILITY=full), run two worker processes on the same
 * store, SIGKILL one of them at a random moment 12 times (50) (restarting it at once), then check every job completed and reached
 * the sink, none lost. Extra executions (a job killed mid-run runs again) are reported.
 */
export async function chaos(t: TestContext, childEnv: Record<string, string>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "tandem-chaos-"));
  const sinkPath = join(dir, "sink.sqlite");
  // The sink opens through the store's own adapter: node:sqlite on Node 22.13+, better-sqlite3 on 20.
  const sink = (await loadSqlite())(sinkPath);
  sink.exec("PRAGMA journal_mode = WAL");
  sink.exec("CREATE TABLE done (id TEXT PRIMARY KEY, runs INTEGER NOT NULL)");
  const env = { ...childEnv, CHAOS_SINK: sinkPath };
  const children: Child[] = [];
  try {
    const job = defineJob({
      name: "chaos",
      run: () => {
        throw new Error("the parent never runs jobs");
      },
    });
    const ids = (await Promise.all(Array.from({ length: JOBS }, (_, i) => job.enqueue({ i })))).map((r) => r.id);
    assert.equal(new Set(ids).size, JOBS);
    children.push(spawnWorker(env), spawnWorker(env));
    const started = Date.now();
    for (let kill = 0; kill < KILLS; kill++) {
      const index = Math.floor(Math.random() * children.length);
      await children[index]!.ready;
      await sleep(100 + Math.random() * 400);
      children[index]!.process.kill("SIGKILL");
      children[index] = spawnWorker(env);
    }
    const driver = await jobsDriver();
    const counts = await waitFor(
      async () => {
        const c = (await driver.counts()).chaos;
        return c && c.completed === JOBS ? c : null;
      },
      "all jobs to complete",
      FULL ? 600_000 : 45_000,
    );
    const rows = sink.prepare("SELECT id, runs FROM done").all() as Array<{ id: string; runs: number }>;
    const done = new Set(rows.map((row) => row.id));
    const missing = ids.filter((id) => !done.has(id));
    const runs = rows.reduce((sum, row) => sum + row.runs, 0);
    t.diagnostic(`${KILLS} kills, ${JOBS} jobs completed in ${Date.now() - started} ms, ${runs - JOBS} extra executions`);
    assert.deepEqual(missing, [], `${missing.length} jobs never reached the sink`);
    assert.equal(done.size, JOBS);
    assert.equal(counts.failed, 0);
    assert.equal(counts.cancelled, 0);
    // At most concurrency (4) runs are interrupted per kill.
    assert.ok(runs - JOBS <= KILLS * 4, `${runs - JOBS} extra executions for ${KILLS} kills`);
  } finally {
    for (const child of children) child.process.kill("SIGKILL");
    sink.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
