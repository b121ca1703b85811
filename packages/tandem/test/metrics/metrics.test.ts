// The metrics endpoint's pieces: the text format, the config check, and the startup refusal of
// an unprotected endpoint. Scraping a running app in every mode is test/modes/metrics.test.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ServerBuild } from "../../src/app/server-build.js";
import { validateConfig } from "../../src/config.js";
import { TandemError } from "../../src/errors/http-error.js";
import { Counter, Histogram, labels } from "../../src/metrics/exposition.js";
import { createRuntime } from "../../src/runtime/create-runtime.js";

test("label values are escaped: a route pattern cannot break the line", () => {
  assert.equal(labels({ route: 'a"b\\c\nd', status: 200 }), '{route="a\\"b\\\\c\\nd",status="200"}');
  assert.equal(labels({}), "");
});

test("counters and histograms in Prometheus's text format, buckets cumulative", () => {
  const counter = new Counter("c_total", "A counter.");
  counter.inc('{a="1"}');
  counter.inc('{a="1"}');
  counter.inc("");
  const histogram = new Histogram("h_seconds", "A histogram.", [0.1, 1]);
  histogram.observe('{a="1"}', 0.05);
  histogram.observe('{a="1"}', 0.5);
  histogram.observe('{a="1"}', 5);
  const out: string[] = [];
  counter.write(out);
  histogram.write(out);
  assert.deepEqual(out, [
    "# HELP c_total A counter.",
    "# TYPE c_total counter",
    'c_total{a="1"} 2',
    "c_total 1",
    "# HELP h_seconds A histogram.",
    "# TYPE h_seconds histogram",
    'h_seconds_bucket{a="1",le="0.1"} 1',
    'h_seconds_bucket{a="1",le="1"} 2',
    'h_seconds_bucket{a="1",le="+Inf"} 3',
    'h_seconds_sum{a="1"} 5.55',
    'h_seconds_count{a="1"} 3',
  ]);
});

test("metrics in tandem.config.ts: true, false or { authorize }, anything else refused", () => {
  for (const ok of [true, false, { authorize: () => true }]) validateConfig({ metrics: ok });
  for (const bad of ["yes", 1, null, {}, { authorize: true }, { authorize: () => true, path: "/m" }]) {
    assert.throws(
      () => validateConfig({ metrics: bad }),
      (e: unknown) => e instanceof TandemError && e.code === "TND_ERR_INVALID_CONFIG" && /metrics/.test(e.message),
      JSON.stringify(bad),
    );
  }
});

const build = (config: Record<string, unknown>): ServerBuild => ({ routes: [], middleware: undefined, config, jobs: {}, appScope: false });

test("metrics: true in production without middleware over the path stops the start", async () => {
  await assert.rejects(
    createRuntime({ root: "/nonexistent", build: build({ metrics: true }) }),
    (e: unknown) => e instanceof TandemError && e.code === "TND_ERR_METRICS_UNPROTECTED",
  );
});

test("metrics: { authorize } decides per scrape; off, the path is the app's (404)", async () => {
  let allow = false;
  const runtime = await createRuntime({ root: "/nonexistent", build: build({ metrics: { authorize: () => allow } }) });
  const off = await createRuntime({ root: "/nonexistent", build: build({}) });
  try {
    const scrape = (rt: typeof runtime) => Promise.resolve(rt.fetch(new Request("http://localhost/_tandem/metrics")));
    assert.equal((await scrape(runtime)).status, 404);
    allow = true;
    const response = await scrape(runtime);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    // The refused scrape above is counted: by the runtime that served it, not by the other one.
    assert.match(await response.text(), /^http_server_requests_total\{method="GET",route="",status="404"\} 1$/m);
    assert.equal((await scrape(off)).status, 404);
    const post = await runtime.fetch(new Request("http://localhost/_tandem/metrics", { method: "POST" }));
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD");
  } finally {
    await runtime.close();
    await off.close();
  }
});
