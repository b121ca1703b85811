// The jobs suite: no-op job throughput (enqueue -> completion) on the SQLite driver, on the
// BullMQ driver and on BullMQ used directly, plus enqueue-to-start latency on SQLite.
//
// Run from the repository root (Redis on 127.0.0.1:6379 for the BullMQ rows):
//   node --import tsx bench/suites/jobs.mjs [--jobs 20000] [--concurrency 50] [--samples 300]
// It uses `tandem/jobs` when the package export exists, else the TypeScript source (needs tsx).
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

export const title = "Background jobs";

async function loadJobs() {
  try {
    return await import("tandem/jobs");
  } catch {
    return import(new URL("../../packages/tandem/src/jobs/index.ts", import.meta.url).href);
  }
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

/** Enqueues `count` jobs in batches of 1,000 and resolves when `done()` says all completed. */
async function throughput(enqueue, count, completed) {
  const start = performance.now();
  for (let i = 0; i < count; i += 1000) {
    await Promise.all(Array.from({ length: Math.min(1000, count - i) }, (_, j) => enqueue(i + j)));
  }
  await completed;
  return count / ((performance.now() - start) / 1000);
}

function counter(count) {
  let n = 0;
  let resolve;
  const promise = new Promise((r) => {
    resolve = r;
  });
  return {
    promise,
    tick: () => {
      if (++n === count) resolve();
    },
  };
}

async function tandemRun(jobs, driver, options) {
  const { count, concurrency, samples, redisUrl } = options;
  const dir = mkdtempSync(join(tmpdir(), "tandem-bench-jobs-"));
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  await jobs.closeJobs();
  jobs.configureJobs(driver === "bullmq" ? { redisUrl, prefix } : { dataDir: dir });
  const done = counter(count);
  jobs.setJobEventPublisher((topic, event) => {
    if (topic === "jobs" && event.type === "state" && event.state === "completed" && event.name === "noop") done.tick();
  });
  const noop = jobs.defineJob({ name: "noop", run: () => null });
  const latencies = [];
  let startedAt = 0;
  const probe = jobs.defineJob({
    name: "probe",
    run: () => {
      latencies.push(performance.now() - startedAt);
    },
  });
  const worker = await jobs.startWorker({ concurrency });
  try {
    const cpu = process.cpuUsage();
    const rate = await throughput((i) => noop.enqueue({ i }), count, done.promise);
    const used = process.cpuUsage(cpu);
    // On a shared machine wall time depends on the neighbours; jobs per CPU-second of this process does not.
    const result = { rate, perCpuSecond: count / ((used.user + used.system) / 1e6) };
    if (driver === "sqlite") {
      for (let i = 0; i < samples; i++) {
        await new Promise((r) => setTimeout(r, 2));
        const before = latencies.length;
        startedAt = performance.now();
        await probe.enqueue({ i });
        while (latencies.length === before) await new Promise((r) => setImmediate(r));
      }
      latencies.sort((a, b) => a - b);
      result.p50 = percentile(latencies, 50);
      result.p99 = percentile(latencies, 99);
    }
    return result;
  } finally {
    await worker.close();
    await jobs.closeJobs();
    jobs.setJobEventPublisher(null);
    rmSync(dir, { recursive: true, force: true });
    if (driver === "bullmq") await deletePrefix(redisUrl, prefix);
  }
}

async function deletePrefix(redisUrl, prefix) {
  const { Redis } = await import("ioredis");
  const redis = new Redis(redisUrl);
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== "0");
  redis.disconnect();
}

/** The same work on BullMQ directly: one add() per job, one Worker, same concurrency and retention. */
async function rawBullmq({ count, concurrency, redisUrl }) {
  const { Queue, Worker } = await import("bullmq");
  const { Redis } = await import("ioredis");
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue("noop", { connection, prefix });
  const done = counter(count);
  const worker = new Worker("noop", async () => null, { connection, prefix, concurrency });
  worker.on("completed", done.tick);
  try {
    const opts = {
      attempts: 3,
      backoff: { type: "exponential", delay: 1000 },
      removeOnComplete: { age: 604800 },
      removeOnFail: { age: 604800 },
    };
    const cpu = process.cpuUsage();
    const rate = await throughput((i) => queue.add("noop", { i }, { jobId: randomUUID(), ...opts }), count, done.promise);
    const used = process.cpuUsage(cpu);
    return { rate, perCpuSecond: count / ((used.user + used.system) / 1e6) };
  } finally {
    await worker.close();
    await queue.close();
    connection.disconnect();
    await deletePrefix(redisUrl, prefix);
  }
}

export async function run(options = {}) {
  const settings = {
    count: 20_000,
    concurrency: 50,
    samples: 300,
    redisUrl: process.env.REDIS_URL || "redis://127.0.0.1:6379",
    ...options,
  };
  delete process.env.REDIS_URL; // the SQLite rows must not pick up BullMQ
  const jobs = await loadJobs();
  const rows = [];
  const sqlite = await tandemRun(jobs, "sqlite", settings);
  rows.push({
    name: "Tandem SQLite driver",
    jobsPerSecond: sqlite.rate,
    perCpuSecond: sqlite.perCpuSecond,
    p50: sqlite.p50,
    p99: sqlite.p99,
  });
  // Alternate raw and Tandem runs and take medians, so a noisy neighbour does not favour one side.
  const bullCount = Math.min(settings.count, 5_000);
  const raws = [];
  const tandems = [];
  for (let round = 0; round < 3; round++) {
    raws.push(await rawBullmq({ ...settings, count: bullCount }));
    tandems.push(await tandemRun(jobs, "bullmq", { ...settings, count: bullCount }));
  }
  const median = (runs, field) => runs.map((run) => run[field]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  const raw = median(raws, "rate");
  const tandem = median(tandems, "rate");
  rows.push({ name: "BullMQ directly (median of 3)", jobsPerSecond: raw, perCpuSecond: median(raws, "perCpuSecond") });
  rows.push({
    name: "Tandem BullMQ driver (median of 3)",
    jobsPerSecond: tandem,
    perCpuSecond: median(tandems, "perCpuSecond"),
    ratioToRaw: tandem / raw,
  });
  return { settings: { ...settings, bullCount }, rows };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { jobs: { type: "string" }, concurrency: { type: "string" }, samples: { type: "string" } } });
  const result = await run({
    ...(values.jobs ? { count: Number(values.jobs) } : {}),
    ...(values.concurrency ? { concurrency: Number(values.concurrency) } : {}),
    ...(values.samples ? { samples: Number(values.samples) } : {}),
  });
  console.log(`# ${title}\n`);
  console.log(
    `no-op jobs: ${result.settings.count} on SQLite, ${result.settings.bullCount} on BullMQ, worker concurrency ${result.settings.concurrency}\n`,
  );
  console.log(
    `load average at the end: ${(await import("node:os"))
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}\n`,
  );
  console.log(
    "| run | jobs/s (enqueue -> completed) | jobs per CPU-second of the bench process | enqueue-to-start p50 | p99 | vs raw BullMQ |",
  );
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const row of result.rows) {
    const ms = (v) => (v === undefined ? "" : `${v.toFixed(2)} ms`);
    console.log(
      `| ${row.name} | ${Math.round(row.jobsPerSecond)} | ${row.perCpuSecond === undefined ? "" : Math.round(row.perCpuSecond)} | ${ms(row.p50)} | ${ms(row.p99)} | ${row.ratioToRaw === undefined ? "" : `${row.ratioToRaw.toFixed(2)}x`} |`,
    );
  }
  process.exit(0);
}
