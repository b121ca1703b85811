// One suite, run against every driver (sqlite.test.ts, bullmq.test.ts). Timing bounds allow
// for polling and a loaded 2-core machine but are tight enough to catch a wrong formula.
import assert from "node:assert/strict";
import { test, type TestContext } from "node:test";
import { z } from "zod";
import { HttpError, TandemError } from "../../src/errors/http-error.js";
import { defineJob } from "../../src/jobs/define.js";
import { resolveJob } from "../../src/jobs/validate.js";
import { startWorker } from "../../src/jobs/worker.js";
import type { JobDefinition, JobEvent } from "../../src/jobs/types.js";
import { fresh, jobsDriver, registerJobs, setJobEventPublisher, sleep, waitFor, type Backend } from "./support.js";

const SLACK = 300;

export function conformance(backend: Backend, ready: (t: TestContext) => Promise<boolean>): void {
  const it = (name: string, body: (t: TestContext) => Promise<void>) =>
    test(`${backend.kind}: ${name}`, async (t) => {
      if (!(await ready(t))) return;
      const done = await fresh(backend);
      try {
        await body(t);
      } finally {
        await done();
      }
    });

  const settled = async (job: JobDefinition<any, any>, id: string, states = ["completed", "failed", "cancelled"]) =>
    waitFor(
      async () => {
        const record = await job.get(id);
        return record && states.includes(record.state) ? record : null;
      },
      `job ${id} to reach ${states.join("/")}`,
    );

  it("runs a job: result, progress, logs and events on jobs:<id>", async () => {
    const events: Array<[string, JobEvent]> = [];
    setJobEventPublisher((topic, event) => events.push([topic, event]));
    const job = defineJob({
      name: "double",
      schema: z.object({ n: z.number() }),
      async run(payload, ctx) {
        await ctx.progress(50, "half way");
        await ctx.log("working on", payload.n);
        return { doubled: payload.n * 2, attempt: ctx.attempt };
      },
    });
    const worker = await startWorker();
    const { id } = await job.enqueue({ n: 21 });
    const record = await settled(job, id);
    await worker.close();
    assert.equal(record.state, "completed");
    assert.deepEqual(record.result, { doubled: 42, attempt: 1 });
    assert.deepEqual(record.payload, { n: 21 });
    assert.equal(record.progress, 100);
    assert.ok(
      record.logs?.some((line) => line === "working on 21"),
      `logs: ${JSON.stringify(record.logs)}`,
    );
    const mine = events.filter(([topic]) => topic === `jobs:${id}`).map(([, e]) => e);
    assert.ok(mine.some((e) => e.type === "progress" && e.progress === 50 && e.message === "half way"));
    assert.ok(mine.some((e) => e.type === "state" && e.state === "completed"));
    assert.ok(events.some(([topic, e]) => topic === "jobs" && e.id === id));
  });

  it("coalesces a flood of progress calls (at most one write and event per 100 ms, last value kept)", async () => {
    const events: JobEvent[] = [];
    setJobEventPublisher((topic, event) => {
      if (topic.startsWith("jobs:") && event.type === "progress") events.push(event);
    });
    const job = defineJob({
      name: "chatty",
      async run(_p, ctx) {
        for (let i = 1; i <= 2000; i++) await ctx.progress(i / 40, `item ${i}`);
        return "done";
      },
    });
    const worker = await startWorker();
    const { id } = await job.enqueue({});
    const record = await settled(job, id);
    await worker.close();
    assert.equal(record.state, "completed");
    assert.ok(events.length >= 2 && events.length <= 12, `${events.length} progress events for 2,000 calls`);
    const last = events.at(-1);
    assert.ok(last?.type === "progress" && last.progress === 50 && last.message === "item 2000");
    assert.equal(record.progressMessage, "item 2000");
  });

  it("validates the payload at enqueue: 400 with the issues, nothing stored", async () => {
    const job = defineJob({ name: "typed", schema: z.object({ n: z.number().int() }), run: () => null });
    const error = await job.enqueue({ n: "nope" } as never).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(HttpError.is(error));
    assert.equal(error.status, 400);
    assert.equal(error.code, "TND_ERR_JOB_INVALID_PAYLOAD");
    const issues = error.details?.issues as Array<{ path: unknown[] }>;
    assert.deepEqual(issues[0]?.path, ["n"]);
    const bad = await job.enqueue({ n: 1 }, { delay: -5 }).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(HttpError.is(bad) && bad.status === 400 && bad.code === "TND_ERR_JOB_BAD_OPTIONS");
    assert.equal((await (await jobsDriver()).list({ name: "typed" })).length, 0);
  });

  it("an unnamed job fails clearly until registerJobs names it", async () => {
    const job = defineJob({ run: () => "ran" });
    const error = await job.enqueue({}).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof TandemError && error.code === "TND_ERR_JOB_UNNAMED");
    registerJobs({ "from-file": job });
    assert.equal(job.name, "from-file");
    const worker = await startWorker();
    const { id } = await job.enqueue({});
    assert.equal((await settled(job, id)).result, "ran");
    await worker.close();
  });

  it("retries with backoff within jitter and never exceeds attempts", async () => {
    const starts: number[] = [];
    const seen: number[] = [];
    const job = defineJob({
      name: "flaky",
      retries: { attempts: 3, backoff: "exponential", delay: 200, jitter: 0.5 },
      run(_payload, ctx) {
        starts.push(Date.now());
        seen.push(ctx.attempt);
        throw new Error(`boom ${ctx.attempt}`);
      },
    });
    const worker = await startWorker();
    const { id } = await job.enqueue({});
    const record = await settled(job, id, ["failed"]);
    await sleep(700); // a 4th attempt would land in this window
    await worker.close();
    assert.deepEqual(seen, [1, 2, 3]);
    assert.equal(record.attemptsMade, 3);
    assert.match(record.error?.message ?? "", /boom 3/);
    const gap1 = starts[1]! - starts[0]!;
    const gap2 = starts[2]! - starts[1]!;
    assert.ok(gap1 >= 100 - 5 && gap1 <= 200 + SLACK, `first backoff ${gap1} ms not in [100, 200]`);
    assert.ok(gap2 >= 200 - 5 && gap2 <= 400 + SLACK, `second backoff ${gap2} ms not in [200, 400]`);
  });

  it("honours delay and runAt", async () => {
    const started = new Map<string, number>();
    const job = defineJob({ name: "later", run: (_p, ctx) => void started.set(ctx.id, Date.now()) });
    const worker = await startWorker();
    const t0 = Date.now();
    const a = await job.enqueue({}, { delay: 400 });
    const b = await job.enqueue({}, { runAt: new Date(t0 + 600) });
    assert.equal((await job.get(a.id))?.state, "delayed");
    await settled(job, a.id);
    await settled(job, b.id);
    await worker.close();
    const ta = started.get(a.id)! - t0;
    const tb = started.get(b.id)! - t0;
    // Never early; how late on a loaded machine is not this test's to say (bench/ measures it).
    assert.ok(ta >= 395, `delay 400 started after ${ta} ms`);
    assert.ok(tb >= 595, `runAt +600 started after ${tb} ms`);
  });

  it("an idempotency key returns the same job and runs it once", async () => {
    let runs = 0;
    const job = defineJob({ name: "once", run: () => ++runs });
    const first = await job.enqueue({ v: 1 }, { key: "order-42" });
    const second = await job.enqueue({ v: 2 }, { key: "order-42" });
    const other = await job.enqueue({ v: 3 }, { key: "order-43" });
    assert.equal(first.id, second.id);
    assert.notEqual(first.id, other.id);
    const worker = await startWorker();
    await settled(job, first.id);
    await settled(job, other.id);
    assert.equal((await job.enqueue({ v: 4 }, { key: "order-42" })).id, first.id);
    await sleep(200);
    await worker.close();
    assert.equal(runs, 2);
    assert.deepEqual((await job.get(first.id))?.payload, { v: 1 });
  });

  it("cancels a delayed job (never runs) and a running one (signal aborted, no retry)", async () => {
    const ran: string[] = [];
    let aborted = false;
    const job = defineJob({
      name: "cancellable",
      retries: { attempts: 3, delay: 50 },
      async run(payload: unknown, ctx) {
        ran.push(ctx.id);
        if ((payload as { wait?: boolean }).wait) {
          await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
          aborted = true;
        }
      },
    });
    const worker = await startWorker();
    const later = await job.enqueue({}, { delay: 60_000 });
    assert.equal(await job.cancel(later.id), true);
    const running = await job.enqueue({ wait: true });
    await waitFor(() => ran.includes(running.id), "the job to start");
    assert.equal(await job.cancel(running.id), true);
    await waitFor(() => aborted, "ctx.signal to abort");
    await sleep(300);
    await worker.close();
    assert.equal((await job.get(later.id))?.state, "cancelled");
    assert.equal((await job.get(running.id))?.state, "cancelled");
    assert.deepEqual(ran, [running.id]);
    assert.equal(await job.cancel(running.id), false);
  });

  it("times out an attempt: signal aborted, attempt failed with TND_ERR_JOB_TIMEOUT", async () => {
    let sawAbort = false;
    const job = defineJob({
      name: "slow",
      timeout: 150,
      retries: { attempts: 1 },
      run: (_p, ctx) =>
        new Promise((resolve) =>
          ctx.signal.addEventListener("abort", () => {
            sawAbort = true;
            resolve(null);
          }),
        ),
    });
    const worker = await startWorker();
    const t0 = Date.now();
    const { id } = await job.enqueue({});
    const record = await settled(job, id);
    await worker.close();
    assert.equal(record.state, "failed");
    assert.equal(record.error?.code, "TND_ERR_JOB_TIMEOUT", JSON.stringify(record));
    assert.ok(sawAbort);
    assert.ok(Date.now() - t0 < 150 + 2000);
  });

  it("retries a failed job on request", async () => {
    let calls = 0;
    const job = defineJob({
      name: "second-time",
      retries: { attempts: 1 },
      run() {
        if (++calls === 1) throw new Error("first call fails");
        return "ok";
      },
    });
    const worker = await startWorker();
    const { id } = await job.enqueue({});
    await settled(job, id, ["failed"]);
    assert.equal(await job.retry(id), true);
    const record = await settled(job, id, ["completed"]);
    await worker.close();
    assert.equal(record.result, "ok");
    assert.equal(await job.retry(id), false);
  });

  it("runs lower priority numbers first", async () => {
    const order: string[] = [];
    const job = defineJob({ name: "ordered", run: (p: unknown) => void order.push((p as { tag: string }).tag) });
    await job.enqueue({ tag: "bulk" }, { priority: 10 });
    await job.enqueue({ tag: "urgent" });
    const worker = await startWorker({ concurrency: 1 });
    await waitFor(() => order.length === 2, "both jobs");
    await worker.close();
    assert.deepEqual(order, ["urgent", "bulk"]);
  });

  it("a job re-registered under the same name (dev reload) runs its new code without a worker restart", async () => {
    const v1 = defineJob({ run: () => "old code" });
    registerJobs({ reloaded: v1 });
    const worker = await startWorker();
    const v2 = defineJob({ run: () => "new code" });
    registerJobs({ reloaded: v2 });
    const { id } = await v2.enqueue({});
    const record = await settled(v2, id);
    await worker.close();
    assert.equal(record.result, "new code");
  });

  it("a cron schedule fires once per time with two workers", async () => {
    const fired: string[] = [];
    const job = defineJob({ name: "tick", schedule: "* * * * * *", run: (_p, ctx) => void fired.push(ctx.id) });
    const other = await backend.secondDriver();
    const settings = { concurrency: 5, lease: 30_000, maxStalls: 5, logger: console };
    const started = Date.now();
    const w1 = await startWorker();
    const w2 = await other.startWorker([resolveJob("tick", job as JobDefinition)], settings);
    await sleep(3300);
    await Promise.all([w1.close(), w2.close()]);
    // Fires can happen until both workers have closed: on a loaded machine starting and closing
    // them takes seconds, so the bound counts the whole-second times in the window they were up.
    const window = Date.now() - started;
    await other.close();
    assert.equal(new Set(fired).size, fired.length);
    const times = Math.floor(window / 1000) + 1;
    // Once per time: at most `times` fires (a duplicate per fire would give twice as many).
    assert.ok(fired.length >= 2 && fired.length <= times, `fired ${fired.length} times in ${window} ms`);
  });

  it("a cron schedule survives a restart: fires missed while down run once, not once per missed time", async () => {
    const runs: number[] = [];
    defineJob({ name: "nightly", schedule: "* * * * * *", run: () => void runs.push(Date.now()) });
    const first = await startWorker();
    await waitFor(() => runs.length >= 1, "the first fire", 3000);
    await first.close();
    const before = runs.length;
    await sleep(6500); // six or seven fire times pass with no worker
    const second = await startWorker();
    const restarted = Date.now();
    await waitFor(() => runs.length > before, "the catch-up fire", 5000);
    await sleep(300);
    await second.close();
    const caughtUp = runs.length - before;
    // One catch-up plus the regular fires of the seconds since the restart; once per missed time
    // would be six or more. Counting the elapsed seconds keeps this true on a loaded machine.
    const regular = Math.ceil((Date.now() - restarted) / 1000);
    assert.ok(caughtUp >= 1 && caughtUp <= 1 + regular && caughtUp < 6, `${caughtUp} runs in ${Date.now() - restarted} ms after restart`);
  });

  it("graceful close releases a running job to another worker at once", async () => {
    const runs: Array<{ attempt: number; at: number }> = [];
    let firstAborted = false;
    const job = defineJob({
      name: "long",
      async run(_p, ctx) {
        runs.push({ attempt: ctx.attempt, at: Date.now() });
        if (runs.length === 1) {
          await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
          firstAborted = true;
          return "released";
        }
        return "finished";
      },
    });
    const w1 = await startWorker();
    const { id } = await job.enqueue({});
    await waitFor(() => runs.length === 1, "the first run");
    const other = await backend.secondDriver();
    const w2 = await other.startWorker([resolveJob("long", job as JobDefinition)], {
      concurrency: 5,
      lease: 30_000,
      maxStalls: 5,
      logger: console,
    });
    const closedAt = Date.now();
    await w1.close(200);
    const record = await settled(job, id, ["completed"]);
    await w2.close();
    await other.close();
    assert.ok(firstAborted);
    assert.equal(record.result, "finished");
    assert.equal(runs.length, 2);
    assert.equal(runs[1]!.attempt, 1, "a release is not a failed attempt");
    assert.ok(runs[1]!.at - closedAt < 200 + 2000, `taken again after ${runs[1]!.at - closedAt} ms (lease is 30 s)`);
  });
}
