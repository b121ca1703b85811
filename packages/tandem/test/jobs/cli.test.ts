import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { z } from "zod";
import { run as jobsCli } from "../../src/cli/jobs.js";
import { run as workerCli } from "../../src/cli/worker.js";
import { defineJob } from "../../src/jobs/define.js";
import { waitFor } from "./support.js";

async function capture(body: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  console.log = (...parts: unknown[]) => void out.push(parts.join(" "));
  console.error = (...parts: unknown[]) => void err.push(parts.join(" "));
  try {
    return { code: await body(), out: out.join("\n"), err: err.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

test("tandem jobs run/list/retry and tandem worker against the app's store", async () => {
  const root = mkdtempSync(join(tmpdir(), "tandem-cli-"));
  const ran: number[] = [];
  const build = {
    jobs: {
      "cli-echo": defineJob({ schema: z.object({ n: z.number() }), run: (p) => void ran.push(p.n) }),
    },
  };
  // What the CLI's command context (cli/jobs-context.ts) gives each command; each command makes
  // its own jobs context and closes it when it ends, as its process would.
  const ctx = { root, jobs: { dataDir: join(root, ".data") }, loadBuild: async () => build };
  const inRoot =
    <T>(run: () => Promise<T>) =>
    () =>
      run();
  try {
    const enqueued = await capture(inRoot(() => jobsCli(["run", "cli-echo", '{"n":7}'], ctx)));
    assert.equal(enqueued.code, 0, enqueued.err);
    const id = /enqueued cli-echo (\S+)/.exec(enqueued.out)?.[1];
    assert.ok(id, enqueued.out);

    const invalid = await capture(inRoot(() => jobsCli(["run", "cli-echo", '{"n":"x"}'], ctx)));
    assert.equal(invalid.code, 1);
    assert.match(invalid.err, /Invalid payload for job "cli-echo"/);
    assert.equal((await capture(inRoot(() => jobsCli(["run", "cli-echo", "{oops"], ctx)))).code, 2);
    assert.equal((await capture(inRoot(() => jobsCli(["run", "missing"], ctx)))).code, 1);
    assert.equal((await capture(inRoot(() => jobsCli(["frobnicate"], ctx)))).code, 2);
    assert.equal((await capture(inRoot(() => jobsCli(["list", "--state", "bogus"], ctx)))).code, 2);

    const waiting = await capture(inRoot(() => jobsCli(["list", "--json"], ctx)));
    const listed = JSON.parse(waiting.out);
    assert.deepEqual(
      listed.jobs.map((j: { id: string; state: string }) => [j.id, j.state]),
      [[id, "waiting"]],
    );

    // The worker runs until a signal; emit one once the job is done.
    const worker = capture(inRoot(() => workerCli(["--concurrency", "2"], ctx)));
    await waitFor(() => ran.length === 1, "the worker to run the job");
    process.emit("SIGTERM");
    const stopped = await worker;
    assert.equal(stopped.code, 0, stopped.err);
    assert.match(stopped.out, /running 1 job\(s\) \(cli-echo\)/);
    assert.deepEqual(ran, [7]);

    const completed = JSON.parse((await capture(inRoot(() => jobsCli(["list", "--state", "completed", "--json"], ctx)))).out);
    assert.equal(completed.jobs[0].id, id);
    const retry = await capture(inRoot(() => jobsCli(["retry", id], ctx)));
    assert.equal(retry.code, 1, "a completed job is not retried");
    assert.match(retry.out, /is completed/);
    assert.equal((await capture(inRoot(() => jobsCli(["retry", "no-such-id"], ctx)))).code, 1);
    assert.equal((await capture(inRoot(() => workerCli(["--concurrency", "zero"], ctx)))).code, 2);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
