import assert from "node:assert/strict";
import { test } from "node:test";
import { HttpError } from "tandem/server";
import { captureLogs, get, raw, start } from "./helpers.js";

test("recover maps a rejected or thrown fetch error, and sees the request it happened on", async (t) => {
  const seen: string[] = [];
  const server = await start(t, {
    fetch: (request) => {
      if (request.url.endsWith("/sync")) throw new Error("sync");
      return Promise.reject(new Error("async"));
    },
    recover: (error, request) => {
      seen.push(`${(error as Error).message} ${new URL(request.url).pathname}`);
      return new Response("recovered", { status: 502 });
    },
  });
  for (const path of ["/async", "/sync"]) {
    const res = await fetch(`${server.url}${path}`);
    assert.equal(res.status, 502);
    assert.equal(await res.text(), "recovered");
  }
  assert.deepEqual(seen, ["async /async", "sync /sync"]);
});

test("a recover that throws is a logged 500, and the server goes on", async (t) => {
  const logs = captureLogs();
  let calls = 0;
  const server = await start(t, {
    logger: logs.logger,
    fetch: () => (++calls === 1 ? Promise.reject(new Error("first")) : new Response("fine")),
    recover: () => {
      throw new Error("recover is broken");
    },
  });
  const failed = await fetch(server.url);
  assert.equal(failed.status, 500);
  assert.doesNotMatch(await failed.text(), /broken|first/);
  assert.ok(logs.errors.some((args) => String(args[0]).includes("recover() threw")));
  assert.equal(await (await fetch(server.url)).text(), "fine");
});

test("without recover, an HttpError keeps its status and anything else is a 500; a bad request never reaches recover", async (t) => {
  const plain = await start(t, {
    fetch: (request) => Promise.reject(request.url.endsWith("/teapot") ? new HttpError(418, "TEAPOT", "short and stout") : new Error("x")),
  });
  assert.equal((await fetch(`${plain.url}/teapot`)).status, 418);
  assert.equal((await fetch(`${plain.url}/other`)).status, 500);
  let recovered = 0;
  const strict = await start(t, {
    fetch: () => new Response("ok"),
    recover: () => {
      recovered++;
      return new Response("no");
    },
  });
  // A Host header that fails the check: no Request is built, so the server answers on its own.
  const reply = await raw(strict.port, get("bad host!", "/"));
  assert.deepEqual(reply.statuses, [400]);
  assert.equal(recovered, 0);
});

test("a recover that returns something other than a Response is a logged 500, not a cut connection", async (t) => {
  const logs = captureLogs();
  const server = await start(t, {
    logger: logs.logger,
    fetch: () => Promise.reject(new Error("x")),
    recover: () => "not a response" as unknown as Response,
  });
  const res = await fetch(server.url);
  assert.equal(res.status, 500);
  await res.arrayBuffer();
  assert.ok(logs.errors.some((args) => String(args[0]).includes("not a Response")));
});
