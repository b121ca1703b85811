// undici loads only when something needs it (server/natives.ts): a fresh process answers a plain
// request without it, and the stand-ins are real Requests once user code reaches the natives.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { test } from "node:test";

const exec = promisify(execFile);
const child = fileURLToPath(new URL("./fixtures/natives-child.ts", import.meta.url));

test("a plain response (Response.json or NextResponse.json) needs no undici; a handler that reaches Request gets a linked stand-in", async () => {
  const { stdout } = await exec(process.execPath, ["--import", "tsx", child], { timeout: 30_000 });
  const result = JSON.parse(stdout);
  assert.equal(result.before, false, "undici was loaded at startup");
  assert.equal(result.plain.status, 200);
  assert.equal(result.plain.body, '{"hello":"world"}');
  assert.equal(result.afterPlain, false, "a plain JSON response loaded undici");
  assert.deepEqual(result.next, { status: 201, body: '{"next":true}' });
  assert.equal(result.afterNext, false, "NextResponse.json() loaded undici");
  assert.equal(result.copied.status, 200);
  assert.deepEqual(result.copied.body, {
    isRequest: true,
    copyUrl: result.copied.body.copyUrl,
    header: "yes",
    tag: "[object Request]",
    responseIsResponse: true,
    redirect: 307,
  });
  assert.match(result.copied.body.copyUrl, /^http:\/\/127\.0\.0\.1:\d+\/copy$/);
  assert.equal(result.after, true);
});

test("two copies of the module share one set of wrappers and run both link steps", async () => {
  const copies = fileURLToPath(new URL("./fixtures/natives-copies.ts", import.meta.url));
  const { stdout } = await exec(process.execPath, ["--import", "tsx", copies], { timeout: 30_000 });
  assert.deepEqual(JSON.parse(stdout), { linked: ["first", "second"], header: "1", same: true });
});
