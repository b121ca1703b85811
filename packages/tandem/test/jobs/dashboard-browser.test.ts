import assert from "node:assert/strict";
import { test } from "node:test";
import { chromium } from "playwright-core";
import { createJobsDashboard, defineJob, startWorker } from "tandem/jobs";
import { serve } from "tandem/node";
import { CHROMIUM, CHROMIUM_ARGS, needChromium } from "tandem-test-support/services";
import { fresh, sqliteBackend, waitFor } from "./support.js";

test("the dashboard page shows counts, live progress, and retries a failed job from the browser", async (t) => {
  if (!(await needChromium(t))) return;
  const done = await fresh(sqliteBackend);
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const server = await serve({ fetch: createJobsDashboard({ enabled: true }), port: 0, host: "127.0.0.1", handleSignals: false });
  try {
    let calls = 0;
    const flaky = defineJob({
      name: "flaky-report",
      retries: { attempts: 1 },
      run: () => {
        if (++calls === 1) throw new Error("upstream 502");
        return "ok";
      },
    });
    const slow = defineJob({
      name: "slow-export",
      async run(_p, ctx) {
        await ctx.progress(37, "rows");
        await gate;
      },
    });
    const worker = await startWorker();
    const { id } = await flaky.enqueue({});
    await waitFor(async () => (await flaky.get(id))?.state === "failed", "the job to fail");

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await page.goto(`${server.url}/_tandem/jobs`);
    await page.getByRole("button", { name: "failed" }).click();
    const row = page.locator(`tr.job[data-id="${id}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /upstream 502/);

    const { id: slowId } = await slow.enqueue({});
    await page.getByRole("button", { name: "active" }).click();
    const bar = page.locator(`[data-progress="${slowId}"] i`);
    await bar.waitFor();
    await waitFor(async () => (await bar.getAttribute("style"))?.includes("37%"), "the live progress bar", 8000);

    await page.getByRole("button", { name: "failed" }).click();
    await row.click();
    await page.getByRole("button", { name: "Retry" }).click();
    await waitFor(async () => (await flaky.get(id))?.state === "completed", "the retried job to complete");
    assert.deepEqual(errors, []);
    release();
    await worker.close();
  } finally {
    release();
    await browser.close();
    await server.close();
    await done();
  }
});
