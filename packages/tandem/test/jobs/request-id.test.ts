// A job carries the id of the request that enqueued it (SQLite and BullMQ): stored at enqueue, handed to its
// run as ctx.requestId and requestId(), passed on to the jobs it enqueues, and absent for jobs
// that no request enqueued.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { defineJob } from "../../src/jobs/define.js";
import { loadSqlite } from "../../src/jobs/sqlite/connection.js";
import { migrate } from "../../src/jobs/sqlite/schema.js";
import { startWorker } from "../../src/jobs/worker.js";
import { requestId } from "../../src/pages/request-id.js";
import { createJobsScope } from "../../src/runtime/jobs.js";
import { needRedis } from "tandem-test-support/services";
import { bullmqBackend, sqliteBackend, waitFor } from "./support.js";

test("a store made before request ids gains the column; old jobs read without one", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tandem-jobs-"));
  try {
    // The library the store uses on this Node: node:sqlite from 22.13, better-sqlite3 below.
    const db = (await loadSqlite())(join(dir, "jobs.sqlite"));
    db.exec(`CREATE TABLE jobs (id TEXT PRIMARY KEY, name TEXT NOT NULL, state TEXT NOT NULL, payload TEXT NOT NULL,
      result TEXT, error TEXT, attempts_made INTEGER NOT NULL DEFAULT 0, max_attempts INTEGER NOT NULL,
      stalls INTEGER NOT NULL DEFAULT 0, priority INTEGER NOT NULL DEFAULT 0, progress REAL NOT NULL DEFAULT 0,
      progress_message TEXT, key TEXT, created_at INTEGER NOT NULL, run_at INTEGER NOT NULL, started_at INTEGER,
      finished_at INTEGER, lease_until INTEGER, token TEXT)`);
    db.prepare(
      "INSERT INTO jobs (id, name, state, payload, max_attempts, created_at, run_at) VALUES ('old', 'x', 'queued', '{}', 1, 0, 0)",
    ).run();
    migrate(db);
    migrate(db);
    assert.deepEqual({ ...(db.prepare("SELECT request_id FROM jobs WHERE id = 'old'").get() as object) }, { request_id: null });
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const backend of [sqliteBackend, bullmqBackend]) {
  test(`${backend.kind}: enqueued in a request, the record, the run and the jobs it enqueues carry the request's id`, async (t) => {
    if (backend.kind === "bullmq" && !(await needRedis(t))) return;
    const { config, cleanup } = backend.configure();
    const { scope, context } = createJobsScope(config, console);
    const seen: Array<{ name: string; ctx: string | undefined; ambient: string | undefined }> = [];
    const ambient = () => {
      try {
        return requestId();
      } catch {
        return undefined;
      }
    };
    const child = defineJob({
      name: "child",
      run: (_payload: unknown, ctx) => void seen.push({ name: "child", ctx: ctx.requestId, ambient: ambient() }),
    });
    const parent = defineJob({
      name: "parent",
      async run(_payload: unknown, ctx) {
        seen.push({ name: "parent", ctx: ctx.requestId, ambient: ambient() });
        await child.enqueue({});
      },
    });
    const orphan = defineJob({
      name: "orphan",
      run: (_payload: unknown, ctx) => void seen.push({ name: "orphan", ctx: ctx.requestId, ambient: ambient() }),
    });
    context.register({ child, parent, orphan });
    try {
      // Enqueued outside any request (a script): no id.
      const { id: orphanId } = await scope.run(() => orphan.enqueue({}));
      const worker = await scope.run(() => startWorker({}, context));
      const { id } = await scope.run(
        () => parent.enqueue({}),
        () => "req-42",
      );
      await waitFor(() => seen.length === 3, "three runs");
      await worker.close();
      assert.equal((await scope.run(() => parent.get(id)))?.requestId, "req-42");
      assert.equal((await scope.run(() => orphan.get(orphanId)))?.requestId, undefined);
      assert.deepEqual(
        seen.sort((a, b) => a.name.localeCompare(b.name)),
        [
          { name: "child", ctx: "req-42", ambient: "req-42" },
          { name: "orphan", ctx: undefined, ambient: undefined },
          { name: "parent", ctx: "req-42", ambient: "req-42" },
        ],
      );
    } finally {
      await scope.close();
      await cleanup();
    }
  });
}
