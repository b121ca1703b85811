import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { JobEvent } from "tandem/jobs";
import { connect } from "tandem/realtime/client";
import { WebSocket } from "ws";
import type { Note } from "../lib/notes.ts";
import { type App, build, start } from "./server.ts";

const ADMIN_TOKEN = "test-admin-token";
let app: App;
before(async () => {
  await build();
  app = await start({ ADMIN_TOKEN });
});
after(() => app?.stop());

const url = (path: string) => new URL(path, app.url);
const post = (path: string, body?: unknown) =>
  fetch(url(path), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) });

test("the page is rendered on the server with its form", async () => {
  const res = await fetch(url("/"));
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /<h1>Notes<\/h1>/);
  assert.match(html, /<form[^>]*>/);
});

test("a new note reaches every open socket", async () => {
  const live = connect<unknown, unknown>(url("/live").href, { WebSocket: WebSocket as never });
  try {
    const received = new Promise<Note>((resolve) => live.onTopic("notes", (note) => resolve(note as Note)));
    await live.opened();
    const res = await post("/api/notes", { text: "hello from the test" });
    assert.equal(res.status, 201);
    assert.equal((await received).text, "hello from the test");
    const notes = (await (await fetch(url("/api/notes"))).json()) as Note[];
    assert.ok(notes.some((note) => note.text === "hello from the test"));
    assert.equal((await post("/api/notes", { text: " " })).status, 400);
  } finally {
    await live.close();
  }
});

test("the report job's progress arrives step by step, then its result", async () => {
  const live = connect<unknown, unknown>(url("/live").href, { WebSocket: WebSocket as never });
  try {
    await live.opened();
    const res = await post("/api/reports");
    assert.equal(res.status, 202);
    const { id, status } = (await res.json()) as { id: string; status: string };
    const steps: number[] = [];
    await new Promise<void>((resolve, reject) => {
      live.subscribe(`jobs:${id}`, (data) => {
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
    const done = (await (await fetch(url(status))).json()) as { state: string; result: { notes: number; words: number } };
    assert.equal(done.state, "completed");
    assert.ok(done.result.notes >= 1);
  } finally {
    await live.close();
  }
});

test("the jobs dashboard asks for ADMIN_TOKEN", async () => {
  assert.equal((await fetch(url("/_tandem/jobs"))).status, 401);
  const wrong = `Basic ${Buffer.from("admin:nope").toString("base64")}`;
  assert.equal((await fetch(url("/_tandem/jobs"), { headers: { authorization: wrong } })).status, 401);
  const right = `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString("base64")}`;
  assert.equal((await fetch(url("/_tandem/jobs"), { headers: { authorization: right } })).status, 200);
});
