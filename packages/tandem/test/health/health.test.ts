// /_tandem/health and /_tandem/ready: in every mode on an app with a SQLite job; with Redis up
// and down (`tandem start`, REDIS_URL); during a SIGTERM under load; and the checks' own rules.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { createTestApp } from "tandem/testing";
import { createHealth } from "../../src/health/health.js";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";
import { needRedis, REDIS_URL } from "tandem-test-support/services";

const project = createProject({
  "app/api/ping/route.ts": `export const GET = () => Response.json({ pong: true });\n`,
  "jobs/noop.ts": `import { defineJob } from "tandem/jobs";\nexport default defineJob({ run: async () => {} });\n`,
});
const plain = createProject({ "app/api/ping/route.ts": `export const GET = () => Response.json({ pong: true });\n` });
after(() => {
  project.remove();
  plain.remove();
});

describeModes("health", project.root, (app) => {
  test("liveness answers 200; readiness checks the job store", async () => {
    const live = await app().fetch("/_tandem/health");
    assert.equal(live.status, 200);
    assert.equal(live.headers.get("cache-control"), "no-store");
    assert.deepEqual(await live.json(), { status: "ok" });
    const ready = await app().fetch("/_tandem/ready");
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: "ready", checks: { jobs: "ok" } });
    const head = await app().fetch("/_tandem/ready", { method: "HEAD" });
    assert.equal(head.status, 200);
    const post = await app().fetch("/_tandem/health", { method: "POST" });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD");
    assert.equal((await app().fetch("/_tandem/health/extra")).status, 404);
  });
});

test("readiness is 503 while Redis is unreachable, 200 when it answers", async (t) => {
  const down = await createTestApp(plain.root, { mode: "start", env: { REDIS_URL: "redis://127.0.0.1:1" } });
  try {
    const ready = await down.fetch("/_tandem/ready");
    assert.equal(ready.status, 503);
    assert.deepEqual(await ready.json(), { status: "unavailable", checks: { redis: "unreachable" } });
    assert.equal((await down.fetch("/_tandem/health")).status, 200, "liveness does not depend on Redis");
    // The child logs the failed check before it answers, but its stderr reaches this process on
    // its own pipe, which may trail the HTTP answer: wait for the line, not a fixed time.
    for (let waited = 0; !/readiness: redis failed/.test(down.output()); waited += 10) {
      assert.ok(waited < 5000, `no readiness log line in:\n${down.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await down.close();
  }
  if (!(await needRedis(t))) return;
  const up = await createTestApp(plain.root, { mode: "start", build: false, env: { REDIS_URL } });
  try {
    const ready = await up.fetch("/_tandem/ready");
    assert.deepEqual(await ready.json(), { status: "ready", checks: { redis: "ok" } });
    assert.equal(ready.status, 200);
  } finally {
    await up.close();
  }
});

test("SIGTERM under load: readiness turns 503 before the server stops, and never back", async () => {
  const app = await createTestApp(project.root, { mode: "start", build: false });
  const url = await app.url();
  const readiness: number[] = [];
  const others: number[] = [];
  let stopping = false;
  let signalledAt = -1;
  const poll = async (path: string, into: number[]): Promise<void> => {
    for (;;) {
      try {
        const response = await fetch(`${url}${path}`);
        await response.arrayBuffer();
        into.push(response.status);
      } catch {
        // Refused or closed: the listener is gone. Only acceptable once the signal was sent.
        assert.ok(stopping, `${path} failed before the signal`);
        return;
      }
    }
  };
  const loops = [poll("/_tandem/ready", readiness), ...Array.from({ length: 4 }, () => poll("/api/ping", others))];
  while (readiness.length < 20) await new Promise((resolve) => setTimeout(resolve, 10));
  stopping = true;
  signalledAt = readiness.length;
  await app.close();
  await Promise.all(loops);
  assert.ok(
    readiness.slice(0, signalledAt).every((s) => s === 200),
    "ready before the signal",
  );
  const firstRefusal = readiness.indexOf(503);
  assert.ok(firstRefusal >= signalledAt, `a 503 after the signal (${readiness.length} probes)`);
  assert.ok(
    readiness.slice(firstRefusal).every((s) => s === 503),
    "never ready again",
  );
  assert.ok(
    others.every((s) => s === 200 || s === 503),
    `only 200 and 503 under load: ${[...new Set(others)]}`,
  );
});

test("checks: run together, bounded by the timeout, with no error text in the answer", async () => {
  const warnings: string[] = [];
  const health = createHealth(
    {
      timeoutMs: 100,
      checks: {
        fine: async () => {},
        broken: async () => {
          throw new Error("connect ECONNREFUSED 10.0.0.5:6379 password=secret");
        },
        stuck: () => new Promise(() => {}),
      },
    },
    { warn: (line: string) => warnings.push(line) },
  );
  const ready = health.mounts.find((m) => m.prefix === "/_tandem/ready")!;
  const started = performance.now();
  const response = (await ready.handle(new Request("http://x/_tandem/ready")))!;
  assert.ok(performance.now() - started < 1000, "the stuck check does not hold the probe");
  assert.equal(response.status, 503);
  const body = await response.json();
  assert.deepEqual(body, { status: "unavailable", checks: { fine: "ok", broken: "unreachable", stuck: "timed out after 100 ms" } });
  assert.doesNotMatch(JSON.stringify(body), /secret|10\.0\.0\.5/);
  assert.match(warnings.join("\n"), /broken failed: connect ECONNREFUSED/);
  health.shutdown();
  const draining = (await ready.handle(new Request("http://x/_tandem/ready")))!;
  assert.equal(draining.status, 503);
  assert.deepEqual(await draining.json(), { status: "shutting down" });
});
