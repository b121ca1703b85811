import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { JobEvent } from "tandem/jobs";
import { connect } from "tandem/realtime/client";
import { createTestApp, type TestApp, type TestMode } from "tandem/testing";
import { WebSocket } from "ws";
import type { Note } from "../lib/notes.ts";

const ADMIN_TOKEN = "test-admin-token";
// Jobs are stored in a folder of their own, removed afterwards.
const data = mkdtempSync(join(tmpdir(), "tandem-test-"));
let app: TestApp;
// In memory by default (built, then served by this process); TANDEM_TEST_MODE=start or dev runs
// the same tests against `tandem start` or `tandem dev`.
before(async () => {
  app = await createTestApp(".", {
    mode: (process.env.TANDEM_TEST_MODE as TestMode | undefined) ?? "memory",
    env: { ADMIN_TOKEN, TANDEM_DATA_DIR: data },
  });
});
after(async () => {
  await app?.close();
  rmSync(data, { recursive: true, force: true });
});

const post = (path: string, body?: unknown) =>
  app.fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) });
/** The app's socket through Tandem's reconnecting client (Node 20 has no global WebSocket: ws's). */
const live = async () => connect<unknown, unknown>(new URL("/live", await app.url()).href, { WebSocket: WebSocket as never });

test("the page is rendered on the server with its form", async () => {
  const res = await app.fetch("/");
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /<h1>Notes<\/h1>/);
  assert.match(html, /<form[^>]*>/);
});

test("a new note reaches every open socket", async () => {
  const socket = await live();
  try {
    const received = new Promise<Note>((resolve) => socket.onTopic("notes", (note) => resolve(note as Note)));
    await socket.opened();
    const res = await post("/api/notes", { text: "hello from the test" });
    assert.equal(res.status, 201);
    assert.equal((await received).text, "hello from the test");
    const notes = (await (await app.fetch("/api/notes")).json()) as Note[];
    assert.ok(notes.some((note) => note.text === "hello from the test"));
    assert.equal((await post("/api/notes", { text: " " })).status, 400);
  } finally {
    await socket.close();
  }
});

test("the report job's progress arrives step by step, then its result", async () => {
  const socket = await live();
  try {
    await socket.opened();
    const res = await post("/api/reports");
    assert.equal(res.status, 202);
    const { id, status } = (await res.json()) as { id: string; status: string };
    const steps: number[] = [];
    await new Promise<void>((resolve, reject) => {
      socket.subscribe(`jobs:${id}`, (data) => {
        const event = data as JobEvent;
        if (event.type === "progress") steps.push(event.progress);
        if (event.type === "state" && event.state === "completed") resolve();
        if (event.type === "state" && event.state === "failed") reject(new Error(event.error));
      });
    });
    assert.ok(steps.length >= 5, `progress in steps, got ${steps.join(", ")}`);
    assert.deepEqual(
      steps,
      [...steps].sort((a, b) => a - b),
    );
    assert.equal(steps.at(-1), 100);
    const done = (await (await app.fetch(status)).json()) as { state: string; result: { notes: number; words: number } };
    assert.equal(done.state, "completed");
    assert.ok(done.result.notes >= 1);
  } finally {
    await socket.close();
  }
});

test("the jobs dashboard asks for ADMIN_TOKEN", async () => {
  assert.equal((await app.fetch("/_tandem/jobs")).status, 401);
  const wrong = `Basic ${Buffer.from("admin:nope").toString("base64")}`;
  assert.equal((await app.fetch("/_tandem/jobs", { headers: { authorization: wrong } })).status, 401);
  const right = `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString("base64")}`;
  assert.equal((await app.fetch("/_tandem/jobs", { headers: { authorization: right } })).status, 200);
});
