import { brotliDecompressSync, gunzipSync } from "node:zlib";
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
  { key: "gzip", label: "Accept-Encoding: gzip (level 6)", headers: { "accept-encoding": "gzip" } },
  { key: "br", label: "Accept-Encoding: br (quality 4)", headers: { "accept-encoding": "br" } },
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

const count = (v) => Math.round(v).toLocaleString("en-US");
const pct = (v) => `${v >= 0 ? "+" : ""}${(v * 100).toFixed(1)}%`;

export async function run(ctx) {
  const { options, pinning, load, log } = ctx;
  const rows = [];
  if (ctx.servers(servers).length === 0) return [];
  log(`${tandem.label} (${tandem.version()})`);
  await tandem.build(log);
  const running = await coldStarts(tandem, pinning, PATH, 1);
  try {
    let baseline;
    for (const variant of VARIANTS) {
      const row = { server: "tandem", label: variant.label, values: {} };
      rows.push(row);
      try {
        const size = await bytesFor(running.baseUrl, variant);
        const request = { url: running.baseUrl + PATH, method: "GET", headers: variant.headers, connections: options.connections };
        await load.drive({ ...request, seconds: options.warmup });
        const cpuBefore = running.proc.cpuSeconds();
        const measured = await load.drive({ ...request, seconds: options.duration });
        const cpu = running.proc.cpuSeconds() - cpuBefore;
        const cpuPerRequestUs = cpu > 0 ? (cpu / measured.requests) * 1e6 : undefined;
        baseline ??= { cpu: cpuPerRequestUs, bytes: size.bytes };
        row.values = {
          rps: measured.requestsPerSec,
          cpuUs: cpuPerRequestUs,
          cpuDelta: cpuPerRequestUs !== undefined && baseline.cpu ? cpuPerRequestUs / baseline.cpu - 1 : undefined,
          bytes: size.bytes,
          saved: 1 - size.bytes / baseline.bytes,
          errors: measured.errors + measured.non2xx,
        };
        log(
          `  ${variant.key}: ${Math.round(measured.requestsPerSec)} req/s, ${cpuPerRequestUs?.toFixed(0)} µs CPU/request, ${size.bytes} B`,
        );
      } catch (error) {
        row.note = `failed: ${error.message.split("\n")[0]}`;
        log(`  ${variant.key} FAILED: ${error.message}`);
      }
    }
  } finally {
    await running.proc.stop();
  }
  return [
    {
      title: `GET ${PATH} by Accept-Encoding`,
      description:
        "One `tandem start` process, default compression settings; each row changes only the request's Accept-Encoding. " +
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
