// Memory over many requests: after a warm-up, RSS must level off instead of growing with the
// request count (a leak per request shows as steady growth). 20,000 requests on 20 keep-alive
// connections by default; TANDEM_RELIABILITY=full sends 200,000.
import assert from "node:assert/strict";
import { test } from "node:test";
import { askPage, FULL, openSocket, rssOf, startFixture } from "./support.js";

const TOTAL = FULL ? 200_000 : 20_000;
const CONNECTIONS = 20;
const MB = 1024 * 1024;
const REQUESTS = [
  "GET / HTTP/1.1\r\nHost: a.test\r\n\r\n",
  "GET /a/b?c=1 HTTP/1.1\r\nHost: a.test\r\nCookie: s=1\r\n\r\n",
  "GET /%7Euser/../x HTTP/1.1\r\nHost: b.test:8080\r\n\r\n",
];

/** Sends `count` requests back to back on one connection; calls `tick` after each answer. */
async function client(port: number, count: number, tick: () => void): Promise<void> {
  const socket = await openSocket(port);
  for (let i = 0; i < count; i++) {
    await askPage(socket, REQUESTS[i % REQUESTS.length]!);
    tick();
  }
  socket.destroy();
}

/** RSS of a fresh server of `kind` at 25% and at the end of the flood (the larger of two samples each). */
async function flood(kind: string, t: { after(fn: () => unknown): void }): Promise<{ quarter: number; end: number }> {
  // The young generation at a fixed size from the start: V8 grows it when it sees fit (on Node 24
  // by about 25 MB somewhere in the flood, in one process of a run and not the other), which is
  // RSS growth that says nothing about a leak. What a leak keeps lands in the old generation.
  const server = await startFixture("flood-server", [kind], ["--min-semi-space-size=16", "--max-semi-space-size=16"]);
  t.after(() => server.stop());
  const pid = server.process.pid!;
  const samples: number[] = [];
  let done = 0;
  const tick = () => {
    done++;
    if (done % (TOTAL / 20) === 0) samples.push(rssOf(pid));
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, () => client(server.port, TOTAL / CONNECTIONS, tick)));
  // Samples at 5%, 10%, ... 100%: compare the second quarter with the last.
  return { quarter: Math.max(...samples.slice(4, 6)), end: Math.max(...samples.slice(-2)) };
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

// The measure is Tandem's growth beside that of plain node:http serving the same page in the
// same run, each with the young generation's size fixed (see flood()).
test(`memory: ${TOTAL.toLocaleString("en")} requests, RSS grows no more than plain node:http's after the first quarter`, async (t) => {
  const node = await flood("node", t);
  const tandem = await flood("tandem", t);
  const grew = { node: node.end - node.quarter, tandem: tandem.end - tandem.quarter };
  t.diagnostic(`RSS growth over the last three quarters: tandem ${mb(grew.tandem)}, node:http ${mb(grew.node)}`);
  assert.ok(grew.tandem - Math.max(grew.node, 0) < 15 * MB, `RSS grew ${mb(grew.tandem)} (node:http: ${mb(grew.node)})`);
});
