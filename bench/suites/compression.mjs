import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { getBytes, hasCallgrind, instructionsPerRequest } from "../lib/callgrind.mjs";
import { coldStarts } from "../lib/lifecycle.mjs";
import { tandemApp } from "../lib/servers.mjs";

// What compression costs and saves on the SSR page (apps/tandem-ssr, GET /list): the same
// `tandem start` process answers requests without Accept-Encoding (sent as it is), with
// `Accept-Encoding: gzip` and with `br`, at the default levels. Issue 18's targets: at most 10%
// more server CPU per request, and at least 70% fewer bytes.

export const title = "Compression on the SSR page (CPU per request and bytes, by Accept-Encoding)";

const PATH = "/list";
const tandem = tandemApp({ dir: "apps/tandem-ssr" });
export const servers = [tandem];

const VARIANTS = [
  { key: "identity", label: "no Accept-Encoding (uncompressed)", headers: {} },
  { key: "gzip", label: "Accept-Encoding: gzip (level 3)", headers: { "accept-encoding": "gzip" } },
  { key: "br", label: "Accept-Encoding: br (quality 1)", headers: { "accept-encoding": "br" } },
];

/** The bytes on the wire for one request, and a check that they decode to the page. */
async function bytesFor(baseUrl, variant) {
  const { request } = await import("node:http");
  const raw = await new Promise((resolve, reject) => {
    const req = request(baseUrl + PATH, { headers: variant.headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ encoding: res.headers["content-encoding"], body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
  const expected = variant.key === "identity" ? undefined : variant.key;
  if (raw.encoding !== expected) throw new Error(`${variant.label}: Content-Encoding ${raw.encoding}, expected ${expected}`);
  const text = (
    raw.encoding === "br" ? brotliDecompressSync(raw.body) : raw.encoding === "gzip" ? gunzipSync(raw.body) : raw.body
  ).toString();
  if ((text.match(/<li[ >]/g) ?? []).length < 50) throw new Error(`${variant.label}: the page lacks its 50 rows`);
  return { bytes: raw.body.byteLength, decoded: Buffer.byteLength(text) };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const requestFor = (running, variant, options) => ({
  url: running.baseUrl + PATH,
  method: "GET",
  headers: variant.headers,
  connections: options.connections,
});

const count = (v) => Math.round(v).toLocaleString("en-US");
const pct = (v) => `${v >= 0 ? "+" : ""}${(v * 100).toFixed(1)}%`;

export async function run(ctx) {
  const { options, pinning, load, log } = ctx;
  const rows = [];
  if (ctx.servers(servers).length === 0) return [];
  log(`${tandem.label} (${tandem.version()})`);
  await tandem.build(log);
  if (process.env.BENCH_COUNT === "instructions") return countInstructions(ctx);
  const running = await coldStarts(tandem, pinning, PATH, 1);
  // The variants take turns, round after round, on the same process: measured one after the
  // other, a slow spell of the machine or the JIT warming up moved the deltas by tens of percent
  // (-28% to +45% across three runs). Each figure is the median of its rounds.
  const rounds = Math.max(5, options.rounds);
  try {
    const samples = new Map(VARIANTS.map((variant) => [variant.key, []]));
    const sizes = new Map();
    for (const variant of VARIANTS) {
      try {
        sizes.set(variant.key, await bytesFor(running.baseUrl, variant));
        await load.drive({ ...requestFor(running, variant, options), seconds: options.warmup });
      } catch (error) {
        sizes.set(variant.key, error);
        log(`  ${variant.key} FAILED: ${error.message}`);
      }
    }
    const seconds = Math.max(1, Math.round(options.duration / 2));
    for (let round = 0; round < rounds; round++) {
      for (const variant of VARIANTS) {
        if (sizes.get(variant.key) instanceof Error) continue;
        const cpuBefore = running.proc.cpuSeconds();
        const measured = await load.drive({ ...requestFor(running, variant, options), seconds });
        const cpu = running.proc.cpuSeconds() - cpuBefore;
        samples
          .get(variant.key)
          .push({ rps: measured.requestsPerSec, cpuUs: (cpu / measured.requests) * 1e6, errors: measured.errors + measured.non2xx });
      }
      log(
        `  round ${round + 1}/${rounds}: ${VARIANTS.map((v) => `${v.key} ${samples.get(v.key).at(-1)?.cpuUs.toFixed(0) ?? "-"} µs`).join(", ")}`,
      );
    }
    const baseline = { cpu: median(samples.get("identity").map((s) => s.cpuUs)), bytes: sizes.get("identity")?.bytes };
    for (const variant of VARIANTS) {
      const row = { server: "tandem", label: variant.label, values: {} };
      rows.push(row);
      const size = sizes.get(variant.key);
      if (size instanceof Error) {
        row.note = `failed: ${size.message.split("\n")[0]}`;
        continue;
      }
      const taken = samples.get(variant.key);
      const cpuUs = median(taken.map((s) => s.cpuUs));
      row.values = {
        rps: median(taken.map((s) => s.rps)),
        cpuUs,
        cpuDelta: baseline.cpu ? cpuUs / baseline.cpu - 1 : undefined,
        bytes: size.bytes,
        saved: baseline.bytes ? 1 - size.bytes / baseline.bytes : undefined,
        errors: taken.reduce((sum, s) => sum + s.errors, 0),
      };
      log(`  ${variant.key}: median ${Math.round(row.values.rps)} req/s, ${cpuUs.toFixed(0)} µs CPU/request, ${size.bytes} B`);
    }
  } finally {
    await running.proc.stop();
  }
  return [
    {
      title: `GET ${PATH} by Accept-Encoding`,
      description:
        "One `tandem start` process, default compression settings; each row changes only the request's Accept-Encoding. The variants take turns over at least 5 rounds (each half the measured duration); figures are medians. " +
        "CPU per request is the server's utime+stime over the measured run divided by its requests; the deltas compare with the uncompressed row.",
      metrics: [
        { key: "rps", label: "req/s", format: count },
        { key: "cpuUs", label: "server CPU µs per request", short: "CPU µs/req", format: (v) => v.toFixed(0) },
        { key: "cpuDelta", label: "CPU vs uncompressed", short: "CPU Δ", format: pct },
        { key: "bytes", label: "bytes on the wire", short: "bytes", format: count },
        { key: "saved", label: "bytes saved", short: "saved", format: pct },
        { key: "errors", label: "errors", format: String },
      ],
      rows,
    },
  ];
}

/**
 * BENCH_COUNT=instructions: the server's instructions per request under callgrind instead of timed
 * CPU, one fresh process per variant. The timed rows moved by a fifth between quiet runs (934 to
 * 1,221 µs uncompressed), more than the difference they are meant to show; counts repeat to a few
 * tenths of a percent whatever else the machine does. Kernel time (socket writes, page faults) is
 * not counted: the timed run's `sys` share is the check on that.
 */
async function countInstructions(ctx) {
  if (!hasCallgrind()) {
    ctx.log("valgrind (callgrind) is not installed: nothing counted (Debian: apt-get install valgrind)");
    return [];
  }
  const warmup = Number(process.env.BENCH_INSTRUCTIONS_WARMUP ?? 5_000);
  const measured = Number(process.env.BENCH_INSTRUCTIONS_REQUESTS ?? 2_000);
  const rows = [];
  let baseline;
  for (const variant of VARIANTS) {
    const coding = variant.key === "identity" ? undefined : variant.key;
    const accept = (head, length) => {
      const encoding = /^content-encoding: *(\S+)/im.exec(head)?.[1];
      return head.startsWith("HTTP/1.1 200") && length > 0 && encoding === coding;
    };
    const instructions = await instructionsPerRequest(tandem, ctx.pinning, {
      readyPath: PATH,
      request: (port) => getBytes(PATH, port, variant.headers),
      accept,
      warmup,
      measured,
    });
    baseline ??= instructions;
    ctx.log(`  ${variant.key}: ${Math.round(instructions)} instructions per request`);
    rows.push({ server: "tandem", label: variant.label, values: { instructions, delta: instructions / baseline - 1 } });
  }
  return [
    {
      title: `GET ${PATH} by Accept-Encoding, in instructions (callgrind)`,
      description: `${measured.toLocaleString("en-US")} requests counted after ${warmup.toLocaleString("en-US")} warm-up requests, a fresh \`tandem start\` under valgrind's callgrind per row. Every thread's user-space instructions; kernel time is not counted.`,
      metrics: [
        { key: "instructions", label: "instructions per request", short: "instructions", format: count },
        { key: "delta", label: "vs uncompressed", short: "Δ", format: pct },
      ],
      rows,
    },
  ];
}
