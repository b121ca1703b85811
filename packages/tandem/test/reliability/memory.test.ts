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

test(`memory: ${TOTAL.toLocaleString("en")} requests, RSS levels off after the first quarter`, async (t) => {
  const server = await startFixture("flood-server", ["tandem"]);
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
  const quarter = Math.max(...samples.slice(4, 6));
  const end = Math.max(...samples.slice(-2));
  t.diagnostic(
    `RSS at 25%: ${(quarter / MB).toFixed(1)} MB, at the end: ${(end / MB).toFixed(1)} MB, peak ${(Math.max(...samples) / MB).toFixed(1)} MB`,
  );
  assert.ok(end - quarter < 20 * MB, `RSS grew ${((end - quarter) / MB).toFixed(1)} MB over the last three quarters`);
});
