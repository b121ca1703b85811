// The example app as a user runs it: `tandem build`, then `tandem start`, then real HTTP.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { runCli, startCli, type StartedServer } from "../../../packages/tandem/test/support/cli.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const token = "test-token";
let server: StartedServer;

before(async () => {
  const build = await runCli(["build", root]);
  assert.equal(build.code, 0, build.stderr);
  const db = join(mkdtempSync(join(tmpdir(), "board-")), "board.sqlite");
  const data = mkdtempSync(join(tmpdir(), "board-data-"));
  server = await startCli(["start", root, "--port", "0", "--host", "127.0.0.1"], { env: { BOARD_DB: db, BOARD_TOKEN: token, BOARD_EXPORTS: join(data, "exports"), TANDEM_DATA_DIR: data } });
});
after(() => server?.stop());

const url = (path: string) => new URL(path, server.url);
const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };

test("the seeded board is listed", async () => {
  const boards = await (await fetch(url("/api/boards"))).json();
  assert.ok(boards.some((b: { id: string }) => b.id === "welcome"));
  const welcome = await (await fetch(url("/api/boards/welcome"))).json();
  assert.equal(welcome.cards.length, 2);
});

test("writes without the token are refused by the middleware", async () => {
  const res = await fetch(url("/api/boards"), { method: "POST", body: JSON.stringify({ title: "x" }), headers: { "content-type": "application/json" } });
  assert.equal(res.status, 401);
  assert.equal(res.headers.get("www-authenticate"), 'Bearer realm="board"');
});

test("the session cookie is accepted as well as the bearer token", async () => {
  const res = await fetch(url("/api/boards"), { method: "POST", body: JSON.stringify({ title: "Cookie board" }), headers: { "content-type": "application/json", cookie: `board_session=${token}` } });
  assert.equal(res.status, 201);
});

test("boards and cards: create, read, update, reorder, delete", async () => {
  const created = await fetch(url("/api/boards"), { method: "POST", body: JSON.stringify({ title: "Sprint" }), headers: auth });
  assert.equal(created.status, 201);
  const board = await created.json();
  assert.equal(created.headers.get("location"), `/api/boards/${board.id}`);

  const a = await (await fetch(url(`/api/boards/${board.id}/cards`), { method: "POST", body: JSON.stringify({ title: "A" }), headers: auth })).json();
  const b = await (await fetch(url(`/api/boards/${board.id}/cards`), { method: "POST", body: JSON.stringify({ title: "B", body: "second" }), headers: auth })).json();
  assert.deepEqual([a.position, b.position], [0, 1]);

  const moved = await fetch(url(`/api/boards/${board.id}/cards/${b.id}`), { method: "PATCH", body: JSON.stringify({ position: 0, title: "B!" }), headers: auth });
  assert.equal((await moved.json()).title, "B!");
  await fetch(url(`/api/boards/${board.id}/cards/${a.id}`), { method: "PATCH", body: JSON.stringify({ position: 1 }), headers: auth });
  const cards = await (await fetch(url(`/api/boards/${board.id}/cards`))).json();
  assert.deepEqual(cards.map((c: { title: string }) => c.title), ["B!", "A"]);

  const renamed = await fetch(url(`/api/boards/${board.id}`), { method: "PATCH", body: JSON.stringify({ title: "Sprint 2" }), headers: auth });
  assert.equal((await renamed.json()).title, "Sprint 2");

  assert.equal((await fetch(url(`/api/boards/${board.id}/cards/${a.id}`), { method: "DELETE", headers: auth })).status, 204);
  assert.equal((await fetch(url(`/api/boards/${board.id}`), { method: "DELETE", headers: auth })).status, 204);
  assert.equal((await fetch(url(`/api/boards/${board.id}`))).status, 404);
});

test("bad input gets a clear 4xx", async () => {
  const empty = await fetch(url("/api/boards"), { method: "POST", body: JSON.stringify({ title: "" }), headers: auth });
  assert.equal(empty.status, 400);
  assert.match((await empty.json()).error.message, /"title"/);
  const malformed = await fetch(url("/api/boards"), { method: "POST", body: "{nope", headers: auth });
  assert.equal(malformed.status, 400);
  const wrongType = await fetch(url("/api/boards"), { method: "POST", body: "title=x", headers: { ...auth, "content-type": "application/x-www-form-urlencoded" } });
  assert.equal(wrongType.status, 415);
  const missing = await fetch(url("/api/boards/nope/cards"), { method: "POST", body: JSON.stringify({ title: "x" }), headers: auth });
  assert.equal(missing.status, 404);
  const wrongMethod = await fetch(url("/api/boards"), { method: "DELETE", headers: auth });
  assert.equal(wrongMethod.status, 405);
});

test("the static page and its assets are served from public/", async () => {
  const page = await fetch(url("/index.html"));
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type")!, /text\/html/);
  assert.match(await page.text(), /<title>Board/);
  const css = await fetch(url("/styles.css"));
  assert.match(css.headers.get("content-type")!, /text\/css/);
  assert.equal((await fetch(url("/..%2Fpackage.json"))).status, 404);
});

test("a board export runs as a background job and its file downloads", async () => {
  const started = await fetch(url("/api/boards/welcome/exports?format=csv"), { method: "POST", headers: auth });
  assert.equal(started.status, 202);
  const { id, status } = await started.json();
  let job: { state: string; progress: number; download: string | null } = { state: "", progress: 0, download: null };
  for (let i = 0; i < 100 && job.state !== "completed"; i++) {
    job = await (await fetch(url(status))).json();
    if (job.state === "failed") assert.fail(JSON.stringify(job));
    if (job.state !== "completed") await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(job.state, "completed");
  assert.equal(job.progress, 100);
  const file = await fetch(url(job.download!));
  assert.match(file.headers.get("content-type")!, /text\/csv/);
  const lines = (await file.text()).trim().split("\n");
  assert.equal(lines[0], "id,title,body,position,createdAt,updatedAt");
  assert.ok(lines.some((line) => line.startsWith("welcome-1,")), `export has the seeded card: ${lines.join(" | ")}`);
  assert.equal((await fetch(url(`/api/exports/${id}-nope`))).status, 404);
});
