// The adapter under the SQLite job store: which library it picks on this Node, that it never
// loads better-sqlite3 where node:sqlite exists, that Node's experimental warning for sqlite (and
// nothing else) stays quiet, and that transactions (nested ones too) commit and roll back alike
// on both libraries.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { loadSqlite } from "../../src/jobs/sqlite/connection.js";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const [major, minor] = process.versions.node.split(".").map(Number) as [number, number];
const builtIn = major > 22 || (major === 22 && minor >= 13);

test(`on Node ${process.versions.node} the store opens SQLite with ${builtIn ? "node:sqlite" : "better-sqlite3"}`, async () => {
  const db = (await loadSqlite())(":memory:");
  try {
    assert.equal(db.library, builtIn ? "node:sqlite" : "better-sqlite3");
  } finally {
    db.close();
  }
});

test("a job enqueued and read back loads no better-sqlite3 where node:sqlite exists, and prints no sqlite warning", () => {
  const dir = mkdtempSync(join(tmpdir(), "tandem-sqlite-lib-"));
  try {
    const script = `
      import { createRequire } from "node:module";
      import { resetStandaloneJobs, currentJobs, closeJobs } from "./packages/tandem/src/jobs/context.ts";
      import { defineJob } from "./packages/tandem/src/jobs/define.ts";
      await resetStandaloneJobs({ dataDir: ${JSON.stringify(dir)} });
      const job = defineJob({ name: "probe", run: async () => {} });
      const { id } = await job.enqueue({});
      const driver = await currentJobs().driver();
      console.log(JSON.stringify({
        state: (await driver.get(id)).state,
        better: Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes("better-sqlite3")),
      }));
      await closeJobs();
      // Other experimental warnings still print: only the sqlite one is filtered.
      process.emitWarning("a different experiment", "ExperimentalWarning");
    `;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.equal(child.status, 0, child.stderr);
    const result = JSON.parse(child.stdout.trim().split("\n").at(-1)!);
    assert.deepEqual(result, { state: "waiting", better: !builtIn });
    assert.doesNotMatch(child.stderr, /SQLite is an experimental feature/);
    assert.match(child.stderr, /ExperimentalWarning: a different experiment/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("process.emitWarning is the original function again after the library loads", async () => {
  const before = process.emitWarning;
  await loadSqlite();
  assert.equal(process.emitWarning, before);
});

test("immediate(): commits, rolls back on a throw, and nests as a savepoint", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tandem-sqlite-tx-"));
  const db = (await loadSqlite())(join(dir, "tx.sqlite"));
  try {
    db.exec("CREATE TABLE t (v INTEGER NOT NULL)");
    const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
    const values = () => (db.prepare("SELECT v FROM t ORDER BY v").all() as Array<{ v: number }>).map((row) => row.v);

    assert.equal(
      db.immediate(() => insert.run(1).changes),
      1,
    );
    assert.throws(
      () =>
        db.immediate(() => {
          insert.run(2);
          throw new Error("boom");
        }),
      /boom/,
    );
    assert.deepEqual(values(), [1]);

    // The inner failure undoes only the inner writes; the outer transaction still commits.
    db.immediate(() => {
      insert.run(3);
      assert.throws(() =>
        db.immediate(() => {
          insert.run(4);
          throw new Error("inner");
        }),
      );
      db.immediate(() => insert.run(5));
    });
    assert.deepEqual(values(), [1, 3, 5]);

    // A failing statement (constraint) inside a transaction leaves no partial batch behind.
    assert.throws(() =>
      db.immediate(() => {
        insert.run(6);
        insert.run(null);
      }),
    );
    assert.deepEqual(values(), [1, 3, 5]);
    // And the connection takes new transactions afterwards.
    db.immediate(() => insert.run(7));
    assert.deepEqual(values(), [1, 3, 5, 7]);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
