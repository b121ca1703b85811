// Tandem's stand-ins (server/natives.ts) are Requests and Responses to whatever asks, in a fresh
// process and in a second copy of Tandem loaded after serve() replaced the global Response.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { test } from "node:test";

const exec = promisify(execFile);
const child = fileURLToPath(new URL("./fixtures/natives-child.ts", import.meta.url));

test("plain responses go out; a handler that reaches Request gets a linked stand-in", async () => {
  const { stdout } = await exec(process.execPath, ["--import", "tsx", child], { timeout: 30_000 });
  const result = JSON.parse(stdout);
  assert.equal(result.plain.status, 200);
  assert.equal(result.plain.body, '{"hello":"world"}');
  assert.deepEqual(result.next, { status: 201, body: '{"next":true}' });
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
});

test("a copy loaded after serve() replaced the global Response still finds undici's", async () => {
  const copies = fileURLToPath(new URL("./fixtures/natives-copies.ts", import.meta.url));
  const { stdout } = await exec(process.execPath, ["--import", "tsx", copies], { timeout: 30_000 });
  assert.deepEqual(JSON.parse(stdout), { same: true, native: true, isResponse: true, status: 201 });
});
