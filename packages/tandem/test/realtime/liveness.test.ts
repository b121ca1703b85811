import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { defineSocket, type CloseDetails } from "tandem/realtime";
import { closed, delay, open, refusal, slowAndFast, startServer } from "./helpers.js";

function recorder() {
  const closes: CloseDetails[] = [];
  let notify = () => {};
  const definition = defineSocket({
    message(peer, message) {
      if (message === "flood") {
        const chunk = "y".repeat(64 * 1024);
        for (let i = 0; i < 400 && peer.open; i++) peer.send(chunk);
        return;
      }
      peer.send(message);
    },
    close(_peer, details) {
      closes.push(details);
      notify();
    },
  });
  const nextClose = () =>
    new Promise<CloseDetails>((resolve) => {
      if (closes.length) return resolve(closes.shift()!);
      notify = () => resolve(closes.shift()!);
    });
  return { definition, nextClose };
}

test("a client that stops reading is cut off once 1 MiB is buffered; others keep going", async () => {
  const { definition, nextClose } = recorder();
  const server = await startServer({ sockets: { "/s": definition } });
  try {
    const { slow, fast, fastBox } = await slowAndFast(`${server.ws}/s`);
    slow.send("flood");
    const details = await nextClose();
    assert.deepEqual(details, { code: 1008, reason: "slow reader" });
    fast.send("ping");
    assert.equal(await fastBox.next(), "ping");
    assert.equal(server.realtime.connections, 1);
    fast.close();
  } finally {
    await server.close();
  }
});

test("heartbeat drops a peer that does not answer pings and keeps one that does", async () => {
  const { definition, nextClose } = recorder();
  // A path of its own: this test counts the server's connections, and once saw 3 for its 2
  // clients (CI, Node 20 and 22). A client of another test file that reconnects to a port this
  // server has since taken would count too; here it gets a 404.
  const path = `/heartbeat-${randomUUID()}`;
  const server = await startServer({ sockets: { [path]: definition }, realtime: { heartbeatInterval: 80 } });
  try {
    const dead = await open(`${server.ws}${path}`, { autoPong: false });
    const alive = await open(`${server.ws}${path}`);
    const details = await nextClose();
    assert.equal(details.code, 1006);
    assert.match(details.reason, /no pong/);
    await closed(dead);
    await delay(250);
    assert.equal(alive.readyState, alive.OPEN);
    assert.equal(server.realtime.connections, 1);
    alive.close();
  } finally {
    await server.close();
  }
});

test("close() ends every socket with 1001 and refuses new upgrades with 503", async () => {
  const { definition, nextClose } = recorder();
  const server = await startServer({ sockets: { "/s": definition } });
  const a = await open(`${server.ws}/s`);
  const b = await open(`${server.ws}/s`);
  const shutdown = server.realtime.close();
  const [ca, cb] = await Promise.all([closed(a), closed(b)]);
  assert.equal(ca.code, 1001);
  assert.equal(cb.code, 1001);
  assert.equal((await nextClose()).code, 1001);
  await shutdown;
  const late = await refusal(`${server.ws}/s`);
  assert.equal(late.status, 503);
  assert.match(late.body, /TND_ERR_REALTIME_SHUTTING_DOWN/);
  await server.close();
});

test("a message split into more than 1,024 fragments closes the connection with 1008", async () => {
  const { definition } = recorder();
  const server = await startServer({ sockets: { "/s": definition } });
  try {
    const ws = await open(`${server.ws}/s`);
    for (let i = 0; i < 1100 && ws.readyState === ws.OPEN; i++) ws.send("x", { fin: false });
    assert.equal((await closed(ws)).code, 1008);
  } finally {
    await server.close();
  }
});

test("invalid limits fail at startup with the option's name", async () => {
  await assert.rejects(startServer({ realtime: { maxMessageSize: -1 } }), /maxMessageSize/);
  await assert.rejects(startServer({ realtime: { allowedOrigins: ["not a url"] } }), /allowedOrigins/);
});
