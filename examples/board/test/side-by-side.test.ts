// Two apps in one process, as a test or a custom server runs them: the example app and a small
// second app (test/fixtures/pulse), each from its own createRuntime (through tandem/testing). Each
// has its own pub/sub hub and jobs store: a publish in one never reaches the other's sockets, and
// each app's jobs settings (tandem.config.ts) apply to it alone. See docs/decisions/0009.
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { createTestApp, type TestApp } from "tandem/testing";
import type WebSocket from "ws";
import { copyExample } from "./copy-example.js";

const token = "side-by-side";

/** The frames a socket receives, in order. */
function inbox(ws: WebSocket) {
  const frames: unknown[] = [];
  const waiting: ((frame: unknown) => void)[] = [];
  ws.on("message", (raw) => {
    const frame = JSON.parse(String(raw));
    const next = waiting.shift();
    if (next) next(frame);
    else frames.push(frame);
  });
  return {
    next: () => (frames.length > 0 ? Promise.resolve(frames.shift()) : new Promise<unknown>((resolve) => waiting.push(resolve))),
  };
}

let board: TestApp;
let pulse: TestApp;
let boardRoot: string;
let pulseRoot: string;

before(async () => {
  // Redis would join the two hubs on purpose (one app on many instances); this test is about one process.
  delete process.env.REDIS_URL;
  delete process.env.TANDEM_DATA_DIR;
  boardRoot = copyExample();
  pulseRoot = join(dirname(boardRoot), "pulse");
  cpSync(fileURLToPath(new URL("fixtures/pulse", import.meta.url)), pulseRoot, { recursive: true });
  const data = mkdtempSync(join(tmpdir(), "side-by-side-"));
  board = await createTestApp(boardRoot, {
    env: { BOARD_DB: join(data, "board.sqlite"), BOARD_TOKEN: token, BOARD_EXPORTS: join(data, "exports") },
  });
  pulse = await createTestApp(pulseRoot);
});
after(async () => {
  await board?.close();
  await pulse?.close();
});

test("a publish in one app reaches its own sockets and not the other app's", async () => {
  const onBoard = inbox(await board.socket("/api/boards/welcome"));
  const onPulse = inbox(await pulse.socket("/api/live"));
  assert.equal(((await onBoard.next()) as { type: string }).type, "snapshot");
  assert.deepEqual(await onPulse.next(), { type: "ready" });

  const created = await board.fetch("/api/boards/welcome/cards", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ title: "only on the board" }),
  });
  assert.equal(created.status, 201);
  const event = (await onBoard.next()) as { topic: string; data: { type: string } };
  assert.equal(event.topic, "board:welcome");
  assert.equal(event.data.type, "card.created");

  // Both publish on "board:welcome". The board's publish was delivered before its response: had it
  // reached the pulse app's hub, the pulse socket's next frame would be the board's card.
  assert.equal((await pulse.fetch("/api/say", { method: "POST" })).status, 200);
  assert.deepEqual(await onPulse.next(), { type: "$topic", topic: "board:welcome", data: { from: "pulse" } });
});

test("each app's jobs use its own store and its own settings", async () => {
  const small = await pulse.fetch("/api/note", { method: "POST", body: JSON.stringify({ n: 1 }) });
  assert.equal(small.status, 202);
  // The pulse app's payloadLimit (64 bytes) is its own: the board's jobs keep the 1 MiB default.
  const big = await pulse.fetch("/api/note", { method: "POST", body: JSON.stringify({ text: "x".repeat(100) }) });
  assert.equal(big.status, 413);
  assert.equal(((await big.json()) as { error: { code: string } }).error.code, "TND_ERR_JOB_PAYLOAD_TOO_LARGE");
  const exported = await board.fetch("/api/boards/welcome/exports", { method: "POST", headers: { authorization: `Bearer ${token}` } });
  assert.equal(exported.status, 202);
  const { id } = (await exported.json()) as { id: string };
  // The board's worker runs its export; the pulse app's jobs are its own to drain.
  await board.drainJobs();
  assert.equal(((await (await board.fetch(`/api/exports/${id}`)).json()) as { state: string }).state, "completed");
  await pulse.drainJobs();

  assert.ok(existsSync(join(pulseRoot, ".pulse-data", "jobs.sqlite")), "the pulse app's store is in its jobs.dataDir");
  assert.ok(existsSync(join(boardRoot, ".data", "jobs.sqlite")), "the board's store is in its own .data");
  assert.ok(!existsSync(join(pulseRoot, ".data")), "the pulse app wrote nothing to a default folder");
});
