// Request ids over a real server: one id per request, shared by the access log, a handler's
// requestId(request) and a 500's body; a trusted proxy's X-Request-Id only with trustProxy.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createApp } from "../../src/app/create-app.js";
import { requestId } from "../../src/app/request-id.js";
import { createLogger } from "../../src/logger/create-logger.js";
import { serve } from "../../src/server/serve.js";
import type { RunningServer } from "../../src/server/types.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function start(trustProxy: boolean): Promise<{ server: RunningServer; lines: Array<Record<string, unknown>> }> {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ destination: { write: (line: string) => lines.push(JSON.parse(line)) } });
  const app = createApp(
    {
      routes: [
        { pattern: "/id", route: () => ({ GET: (request: Request) => Response.json({ id: requestId(request) }) }) },
        {
          pattern: "/boom",
          route: () => ({
            GET: () => {
              throw new Error("database is down");
            },
          }),
        },
      ],
    },
    { logger },
  );
  const server = await serve({
    fetch: app.handle,
    recover: app.recover,
    port: 0,
    host: "127.0.0.1",
    logger,
    accessLog: true,
    trustProxy,
  });
  return { server, lines };
}

/** The access line for a request id, once the response has finished. */
async function accessLine(lines: Array<Record<string, unknown>>, id: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100; i++) {
    const line = lines.find((l) => l.msg === "request" && l.reqId === id);
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`no access line for ${id}: ${JSON.stringify(lines)}`);
}

describe("without trustProxy", () => {
  let app: Awaited<ReturnType<typeof start>>;
  before(async () => (app = await start(false)));
  after(() => app.server.close());

  test("each request gets its own UUID, in the handler and in the access log; the query is not logged", async () => {
    const first = (await (await fetch(`${app.server.url}/id?token=secret`, { headers: { "x-request-id": "from-client" } })).json()).id;
    const second = (await (await fetch(`${app.server.url}/id`)).json()).id;
    assert.match(first, UUID, "a client's X-Request-Id is not trusted");
    assert.match(second, UUID);
    assert.notEqual(first, second);
    const line = await accessLine(app.lines, first);
    assert.equal(line.method, "GET");
    assert.equal(line.path, "/id");
    assert.equal(line.status, 200);
    assert.equal(typeof line.ms, "number");
    assert.doesNotMatch(JSON.stringify(app.lines), /secret/);
  });

  test("a 500 carries the same id as its error line and its access line", async () => {
    const response = await fetch(`${app.server.url}/boom`, { headers: { accept: "application/json" } });
    assert.equal(response.status, 500);
    const id = response.headers.get("x-request-id")!;
    assert.match(id, UUID);
    assert.equal((await response.json()).error.requestId, id);
    const error = app.lines.find((l) => l.level === 50 && String(l.msg).includes(id));
    assert.ok(error, "the error line names the id");
    assert.match((error.err as { stack: string }).stack, /database is down/);
    assert.equal((await accessLine(app.lines, id)).status, 500);
  });
});

describe("with trustProxy", () => {
  let app: Awaited<ReturnType<typeof start>>;
  before(async () => (app = await start(true)));
  after(() => app.server.close());

  test("the proxy's X-Request-Id is the request's id everywhere", async () => {
    const id = (await (await fetch(`${app.server.url}/id`, { headers: { "x-request-id": "lb-7f3a" } })).json()).id;
    assert.equal(id, "lb-7f3a");
    assert.equal((await accessLine(app.lines, "lb-7f3a")).status, 200);
    const failed = await fetch(`${app.server.url}/boom`, { headers: { "x-request-id": "lb-boom", accept: "application/json" } });
    assert.equal(failed.headers.get("x-request-id"), "lb-boom");
  });

  test("an id that is empty, too long or not visible ASCII is replaced", async () => {
    for (const bad of ["", "a".repeat(201), "has space", "tab\there"]) {
      const id = (await (await fetch(`${app.server.url}/id`, { headers: { "x-request-id": bad } })).json()).id;
      assert.match(id, UUID, JSON.stringify(bad));
    }
  });
});
