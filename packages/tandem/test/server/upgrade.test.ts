import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { test } from "node:test";
import WebSocket, { WebSocketServer } from "ws";
import { fromNodeRequest } from "tandem/node";
import { captureLogs, closedSocket, open, raw, readUntil, start } from "./helpers.js";

const UPGRADE = "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

test("onUpgrade gets origin-form upgrades; fromNodeRequest builds their Request from our host", async (t) => {
  const wss = new WebSocketServer({ noServer: true });
  t.after(() => wss.close());
  const seen: string[] = [];
  const server = await start(t, {
    fetch: () => new Response("http"),
    onUpgrade: (req, socket, head) => {
      const request = fromNodeRequest(req);
      seen.push(`${request.url} ${request.headers.get("upgrade")} ${request instanceof Request}`);
      wss.handleUpgrade(req, socket, head, (ws) => ws.on("message", (data) => ws.send(`echo ${data}`)));
    },
  });
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/live?room=1`);
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  ws.send("hi");
  const reply = await new Promise<string>((resolve) => ws.once("message", (data) => resolve(String(data))));
  assert.equal(reply, "echo hi");
  ws.close();
  assert.deepEqual(seen, [`http://127.0.0.1:${server.port}/live?room=1 websocket true`]);
});

test("absolute-form upgrade targets get 400 and never reach onUpgrade", async (t) => {
  const calls: IncomingMessage[] = [];
  const server = await start(t, { fetch: () => new Response("http"), onUpgrade: (req, socket) => (calls.push(req), socket.destroy()) });
  for (const target of ["http://evil.test/x", "evil.test:443", "*"]) {
    const reply = await raw(server.port, `GET ${target} HTTP/1.1\r\nHost: a.test\r\n${UPGRADE}\r\n`);
    assert.deepEqual(reply.statuses, [400], target);
    assert.equal(reply.closed, true, target);
  }
  assert.equal(calls.length, 0);
});

test("an onUpgrade that throws gets 500 on that socket; the server stays up", async (t) => {
  const logs = captureLogs();
  const server = await start(t, {
    logger: logs.logger,
    fetch: () => new Response("still here"),
    onUpgrade: () => {
      throw new Error("upgrade bug");
    },
  });
  const reply = await raw(server.port, `GET /live HTTP/1.1\r\nHost: a.test\r\n${UPGRADE}\r\n`);
  assert.deepEqual(reply.statuses, [500]);
  assert.match(reply.text, /TND_ERR_SERVER_HANDLER_FAILED/);
  assert.equal(logs.errors.length, 1);
  assert.equal(await (await fetch(server.url)).text(), "still here");
});

test("an upgrade completed after shutdown began gets 503 and never reaches onUpgrade", async (t) => {
  let upgrades = 0;
  const server = await start(t, {
    shutdownTimeout: 2000,
    fetch: () => new Response("http"),
    onUpgrade: (_req, socket) => (upgrades++, socket.destroy()),
  });
  // Half the headers before close(), the rest after: the socket is mid-request, not idle.
  const socket = await open(server.port);
  socket.write("GET /live HTTP/1.1\r\nHost: a.test\r\n");
  await new Promise((resolve) => setTimeout(resolve, 50));
  const closing = server.close();
  socket.write(`${UPGRADE}\r\n`);
  const text = await readUntil(socket, (s) => s.includes("}"));
  assert.match(text, /^HTTP\/1\.1 503 /);
  assert.match(text, /TND_ERR_SERVER_SHUTTING_DOWN/);
  await closedSocket(socket);
  await closing;
  assert.equal(upgrades, 0);
});

test("without onUpgrade, a request with an Upgrade header is served as an ordinary request", async (t) => {
  const server = await start(t, { fetch: (request) => new Response(`plain ${request.headers.get("upgrade")}`) });
  const reply = await raw(server.port, `GET /live HTTP/1.1\r\nHost: a.test\r\n${UPGRADE}\r\n`);
  assert.deepEqual(reply.statuses, [200]);
  assert.ok(reply.text.endsWith("plain websocket"));
});
