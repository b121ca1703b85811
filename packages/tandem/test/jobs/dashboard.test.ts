import assert from "node:assert/strict";
import { test } from "node:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TandemError } from "../../src/errors/http-error.js";
import { createJobsScope, startJobs } from "../../src/runtime/jobs.js";
import { createJobsDashboard } from "../../src/jobs/dashboard/handler.js";
import { defineJob } from "../../src/jobs/define.js";
import { startWorker } from "../../src/jobs/worker.js";
import { serve } from "../../src/server/serve.js";
import { fresh, sqliteBackend, waitFor } from "./support.js";

async function withServer(handler: (request: Request) => Promise<Response>, body: (url: string) => Promise<void>): Promise<void> {
  const server = await serve({ fetch: handler, port: 0, host: "127.0.0.1", handleSignals: false });
  try {
    await body(server.url);
  } finally {
    await server.close();
  }
}

test("dashboard is off unless enabled, and refuses production without authorize", async () => {
  await withServer(createJobsDashboard({ enabled: false }), async (url) => {
    const res = await fetch(`${url}/_tandem/jobs`);
    assert.equal(res.status, 404);
  });
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    assert.throws(
      () => createJobsDashboard({ enabled: true }),
      (e: unknown) => e instanceof TandemError && e.code === "TND_ERR_JOBS_DASHBOARD_UNPROTECTED",
    );
    const off = createJobsDashboard();
    assert.equal((await off(new Request("http://x/_tandem/jobs"))).status, 404, "off by default in production");
    const denied = createJobsDashboard({ enabled: true, authorize: (r) => r.headers.get("x-admin") === "yes" });
    assert.equal((await denied(new Request("http://x/_tandem/jobs/api/counts"))).status, 403);
  } finally {
    process.env.NODE_ENV = previous;
  }
});

test("a production app with jobs and the dashboard off says so once, on the first visit", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "tandem-dashboard-off-"));
  const lines: string[] = [];
  const { scope, context } = createJobsScope({ dataDir }, console);
  const runtime = await startJobs({
    scope,
    context,
    jobs: { noop: defineJob({ run() {} }) },
    worker: false,
    dashboard: undefined,
    logger: { info: (line: string) => lines.push(line) },
  });
  try {
    assert.equal(await runtime.mount!.handle(new Request("http://x/_tandem/jobs")), undefined, "the app answers 404");
    assert.equal(await runtime.mount!.handle(new Request("http://x/_tandem/jobs/api/counts")), undefined);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /the jobs dashboard is off in production; set jobs: \{ dashboard: true \} in tandem\.config\.ts/);
  } finally {
    await runtime.close();
    await scope.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("dashboard page, JSON API, retry with origin check, live progress over SSE", async () => {
  const done = await fresh(sqliteBackend);
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  try {
    let calls = 0;
    const failing = defineJob({
      name: "fails-once",
      retries: { attempts: 1 },
      run(_p, ctx) {
        void ctx.log("trying");
        if (++calls === 1) throw new Error("disk full");
        return "recovered";
      },
    });
    const slow = defineJob({
      name: "slow-progress",
      async run(_p, ctx) {
        await ctx.progress(42, "counting");
        await gate;
      },
    });
    const worker = await startWorker();
    const { id } = await failing.enqueue({ file: "a.csv" });
    await waitFor(async () => (await failing.get(id))?.state === "failed", "the job to fail");

    await withServer(createJobsDashboard({ enabled: true }), async (url) => {
      const base = `${url}/_tandem/jobs`;
      const page = await fetch(base);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(page.headers.get("content-security-policy") ?? "", /script-src 'nonce-/);
      assert.doesNotMatch(html, /<script[^>]+src=|https?:\/\//, "no external scripts or CDN");

      const counts = await (await fetch(`${base}/api/counts`)).json();
      assert.equal(counts.driver, "sqlite");
      assert.equal(counts.counts["fails-once"].failed, 1);

      const failed = await (await fetch(`${base}/api/jobs?state=failed`)).json();
      assert.deepEqual(
        failed.jobs.map((j: { id: string }) => j.id),
        [id],
      );
      assert.equal((await fetch(`${base}/api/jobs?state=bogus`)).status, 400);

      const detail = await (await fetch(`${base}/api/jobs/${id}`)).json();
      assert.equal(detail.job.error.message, "disk full");
      assert.deepEqual(detail.job.logs, ["trying"]);
      assert.equal((await fetch(`${base}/api/jobs/nope`)).status, 404);
      assert.equal((await fetch(`${base}/api/jobs/%E0%A4%A`)).status, 400);
      assert.equal((await fetch(`${base}/api/jobs/${id}`, { method: "DELETE" })).status, 405);

      assert.equal((await fetch(`${base}/api/jobs/${id}/retry`, { method: "POST" })).status, 403, "no Origin");
      const foreign = await fetch(`${base}/api/jobs/${id}/retry`, { method: "POST", headers: { origin: "https://evil.example" } });
      assert.equal(foreign.status, 403);
      assert.equal((await failing.get(id))?.state, "failed", "a refused retry changes nothing");
      const retried = await fetch(`${base}/api/jobs/${id}/retry`, { method: "POST", headers: { origin: url } });
      assert.equal(retried.status, 200);
      await waitFor(async () => (await failing.get(id))?.state === "completed", "the retried job to complete");

      const controller = new AbortController();
      const stream = await fetch(`${base}/api/events`, { signal: controller.signal });
      assert.equal(stream.headers.get("content-type"), "text/event-stream; charset=utf-8");
      const reader = stream.body!.getReader();
      const slowJob = await slow.enqueue({});
      let text = "";
      await waitFor(async () => {
        const { value } = await reader.read();
        text += new TextDecoder().decode(value);
        return text.includes(`"id":"${slowJob.id}","name":"slow-progress","progress":42`);
      }, "a live progress event");
      assert.match(text, /event: snapshot/);
      controller.abort();
      release();
    });
    await worker.close();
  } finally {
    release();
    await done();
  }
});

test("a failure of the dashboard itself goes to the logger it was given, with a generic 500", async () => {
  const lines: unknown[][] = [];
  const logger = { error: (...args: unknown[]) => lines.push(args) };
  const broken = {
    driver: () => Promise.reject(new Error("store unreachable")),
    onEvent: () => () => {},
  };
  const handle = createJobsDashboard({ enabled: true, jobs: broken, logger });
  const res = await handle(new Request("http://localhost/_tandem/jobs/api/jobs"));
  assert.equal(res.status, 500);
  assert.doesNotMatch(await res.text(), /store unreachable/);
  assert.equal(lines.length, 1);
  assert.equal(lines[0]![0], "[tandem/jobs] dashboard error:");
  assert.match(String(lines[0]![1]), /store unreachable/);
});
