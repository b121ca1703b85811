// One connection that pipelines thousands of requests and never reads must not start them all
// at once (issue 16, item 1): the server runs a few of them at a time and stops reading the
// socket until they drain, so memory stays bounded and other clients are served.
import assert from "node:assert/strict";
import { test } from "node:test";
import { get, open, readUntil, start } from "./helpers.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("10,000 pipelined requests from a client that never reads: a bounded few run at once, others are served", async (t) => {
  let running = 0;
  let peak = 0;
  let started = 0;
  const server = await start(t, {
    // A render: a few milliseconds of waiting, and a response of a few KiB.
    fetch: async () => {
      running++;
      started++;
      peak = Math.max(peak, running);
      await sleep(2);
      running--;
      return new Response("x".repeat(4096));
    },
  });
  const flood = await open(server.port);
  flood.pause();
  flood.on("error", () => {});
  flood.write(get("a.test", "/").repeat(10_000));
  await sleep(300);
  // Another client is served at once, while the flood waits behind its own unread responses.
  const latencies: number[] = [];
  const other = await open(server.port);
  for (let i = 0; i < 50; i++) {
    const begin = performance.now();
    other.write(get("a.test", "/other"));
    await readUntil(other, (s) => s.startsWith("HTTP/1.1 200 ") && s.endsWith("x".repeat(4096)));
    latencies.push(performance.now() - begin);
  }
  other.destroy();
  assert.ok(peak <= 16, `at most a few handlers at once, saw ${peak}`);
  assert.ok(started < 2_000, `the flood stops when its client stops reading: ${started} handlers started`);
  latencies.sort((a, b) => a - b);
  assert.ok(latencies[latencies.length - 1]! < 500, `other clients wait: ${latencies.join(", ")}`);
  flood.destroy();
});

test("pipelined requests are all answered, in order, when the client reads", async (t) => {
  let running = 0;
  let peak = 0;
  const server = await start(t, {
    fetch: async (request) => {
      running++;
      peak = Math.max(peak, running);
      // Later requests finish sooner: the answers must still come back in request order.
      const n = Number(new URL(request.url).pathname.slice(1));
      await sleep(n % 7);
      running--;
      return new Response(`r${n};`);
    },
  });
  const socket = await open(server.port);
  let wire = "";
  for (let i = 0; i < 500; i++) wire += get("a.test", `/${i}`);
  socket.write(wire);
  const text = await readUntil(socket, (s) => s.includes("r499;"), 10_000);
  socket.destroy();
  const order = [...text.matchAll(/r(\d+);/g)].map((m) => Number(m[1]));
  assert.deepEqual(
    order,
    Array.from({ length: 500 }, (_, i) => i),
  );
  assert.ok(peak > 1 && peak <= 16, `pipelined requests run a few at a time: ${peak}`);
});
