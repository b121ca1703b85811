import assert from "node:assert/strict";
import { test } from "node:test";
import { WebSocket } from "ws";
import { z } from "zod";
import { backoffDelay } from "../../src/realtime/client/backoff.js";
import { connect, type ClientState, type WebSocketConstructor } from "tandem/realtime/client";
import { defineSocket } from "tandem/realtime";
import { delay, startServer, until } from "./helpers.js";

const WS = WebSocket as unknown as WebSocketConstructor;

const chat = defineSocket({
  schema: z.object({ text: z.string() }),
  open(peer) {
    peer.subscribe("server-side");
  },
  message(peer, message) {
    if (message.text === "kick") return peer.close(4001, "kicked");
    peer.send({ echo: message.text });
  },
  subscribe: (_peer, topic) => topic !== "forbidden",
});

test("typed messages, error frames, server- and client-side topics", async () => {
  const server = await startServer({ sockets: { "/chat": chat } });
  const client = connect<{ echo: string }, { text: string } | { wrong: number }>(`${server.url}/chat`, { WebSocket: WS });
  try {
    const messages: Array<{ echo: string }> = [];
    const errors: string[] = [];
    client.onMessage((m) => messages.push(m));
    client.onError((e) => errors.push(e.code));
    await client.opened();
    client.send({ text: "hi" });
    client.send({ wrong: 1 });
    await until(() => messages.length === 1 && errors.length === 1);
    assert.deepEqual(messages, [{ echo: "hi" }]);
    assert.deepEqual(errors, ["TND_ERR_REALTIME_INVALID_MESSAGE"]);
    const got: unknown[] = [];
    client.onTopic("server-side", (d) => got.push(["server-side", d]));
    let confirmed = 0;
    const offNews = client.subscribe(
      "news",
      (d) => got.push(["news", d]),
      () => confirmed++,
    );
    client.subscribe("forbidden", (d) => got.push(["forbidden", d]));
    await until(() => errors.length === 2);
    assert.equal(errors[1], "TND_ERR_REALTIME_SUBSCRIBE_DENIED");
    // The server confirmed "news" (and only it): a second subscriber hears so at once.
    await until(() => confirmed === 1);
    let second = 0;
    const offSecond = client.subscribe(
      "news",
      () => {},
      () => second++,
    );
    await until(() => second === 1);
    offSecond();
    await server.realtime.publish("server-side", 1);
    await server.realtime.publish("news", 2);
    await server.realtime.publish("forbidden", 3);
    await until(() => got.length === 2);
    assert.deepEqual(got, [
      ["server-side", 1],
      ["news", 2],
    ]);
    offNews();
    await until(() => server.hub.subscriberCount("news") === 0);
    await server.realtime.publish("news", 4);
    await delay(50);
    assert.equal(got.length, 2);
  } finally {
    await client.close();
    await server.close();
  }
});

test("reconnects with backoff after a server restart, resubscribes and flushes queued messages", async () => {
  let server = await startServer({ sockets: { "/chat": chat } });
  const port = Number(new URL(server.url).port);
  const client = connect<{ echo: string }, { text: string }>(`${server.ws}/chat`, {
    WebSocket: WS,
    reconnect: { minDelay: 20, maxDelay: 100 },
  });
  const states: ClientState[] = [];
  client.onState((s) => states.push(s));
  const news: unknown[] = [];
  const echoes: string[] = [];
  client.onMessage((m) => echoes.push(m.echo));
  client.subscribe("news", (d) => news.push(d));
  try {
    await client.opened();
    await until(() => server.hub.subscriberCount("news") === 1);
    await server.realtime.publish("news", "before");
    await until(() => news.length === 1);
    await server.close();
    await until(() => client.state === "reconnecting");
    client.send({ text: "queued while away" });
    server = await startServer({ sockets: { "/chat": chat }, port });
    await client.opened();
    await until(() => echoes.includes("queued while away"));
    // The $subscribe is sent again right after open; wait until the server has processed it.
    for (let i = 0; i < 100 && news.length < 2; i++) {
      await server.realtime.publish("news", "after");
      await delay(20);
    }
    assert.equal(news[1], "after");
    assert.deepEqual(states.slice(0, 3), ["open", "reconnecting", "open"]);
  } finally {
    await client.close();
    await server.close();
  }
});

test("does not reconnect after an app close code (4000-4999) or close(); queue is bounded", async () => {
  const server = await startServer({ sockets: { "/chat": chat } });
  try {
    const client = connect<{ echo: string }, { text: string }>(`${server.ws}/chat`, { WebSocket: WS, reconnect: { minDelay: 10 } });
    await client.opened();
    client.send({ text: "kick" });
    await until(() => client.state === "closed");
    await delay(100);
    assert.equal(server.realtime.connections, 0);
    assert.throws(() => client.send({ text: "x" }), /TND_ERR_REALTIME_CLIENT_CLOSED|closed/);
    await client.close();

    const offline = connect(`ws://127.0.0.1:9/none`, { WebSocket: WS, maxQueue: 2, reconnect: { minDelay: 10_000 } });
    offline.send("a");
    offline.send("b");
    assert.throws(() => offline.send("c"), /TND_ERR_REALTIME_QUEUE_FULL/);
    await offline.close();
    assert.equal(offline.state, "closed");
    await assert.rejects(offline.opened());
  } finally {
    await server.close();
  }
});

test("backoff doubles per attempt up to maxDelay, jittered into the upper half", () => {
  const options = { minDelay: 100, maxDelay: 1000 };
  assert.equal(
    backoffDelay(0, options, () => 0),
    50,
  );
  assert.equal(
    backoffDelay(0, options, () => 1),
    100,
  );
  assert.equal(
    backoffDelay(3, options, () => 1),
    800,
  );
  assert.equal(
    backoffDelay(10, options, () => 1),
    1000,
  );
  assert.equal(
    backoffDelay(10, options, () => 0),
    500,
  );
});

test("without a WebSocket implementation connect() says what to pass", () => {
  const saved = (globalThis as { WebSocket?: unknown }).WebSocket;
  (globalThis as { WebSocket?: unknown }).WebSocket = undefined;
  try {
    assert.throws(() => connect("ws://127.0.0.1:9/"), /TND_ERR_REALTIME_NO_WEBSOCKET/);
  } finally {
    (globalThis as { WebSocket?: unknown }).WebSocket = saved;
  }
});

test("close() while still connecting waits for the open, then closes cleanly (no browser warning)", async () => {
  const server = await startServer({ sockets: { "/chat": chat } });
  const closeCalls: number[] = [];
  // Records when close() reaches the socket: browsers warn if it happens before the open.
  class Recording extends WebSocket {
    override close(code?: number, reason?: string): void {
      closeCalls.push(this.readyState);
      super.close(code, reason);
    }
  }
  try {
    const client = connect(`${server.url}/chat`, { WebSocket: Recording as unknown as WebSocketConstructor });
    assert.equal(client.state, "connecting");
    await client.close();
    assert.equal(client.state, "closed");
    // (ws itself calls close() again when the close frame comes back.)
    assert.equal(closeCalls[0], WebSocket.OPEN);
  } finally {
    await server.close();
  }
});
