import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";
import { defineSocket } from "../../src/realtime/define-socket.js";
import { publish } from "../../src/realtime/publish.js";
import { REDIS_URL, needRedis } from "tandem-test-support/services";
import { Redis } from "ioredis";
import { connect as netConnect, createServer as createNetServer, type AddressInfo } from "node:net";
import { WebSocket } from "ws";
import { connect, type WebSocketConstructor } from "../../src/realtime/client/connect.js";
import { TopicHub } from "../../src/realtime/hub.js";
import { redisBroker } from "../../src/realtime/redis-broker.js";
import { delay, inbox, open, quietLogger, startServer, until } from "./helpers.js";

const rooms = defineSocket({
  open(peer) {
    peer.subscribe(`room:${peer.params.id}`);
  },
  message(peer, message) {
    if (message === "leave") return void peer.unsubscribe(`room:${peer.params.id}`);
    peer.publish(`room:${peer.params.id}`, { from: peer.id, text: message });
  },
  subscribe: (_peer, topic) => topic.startsWith("public:"),
});

describe("pub/sub in one process", () => {
  test("peer.publish reaches everyone on the topic but the sender; publish() reaches all", async () => {
    const server = await startServer({ sockets: { "/rooms/[id]": rooms } });
    try {
      const [a, b, c, other] = await Promise.all(["1", "1", "1", "2"].map((id) => open(`${server.ws}/rooms/${id}`)));
      const [boxA, boxB, boxC, boxOther] = [a!, b!, c!, other!].map(inbox);
      a!.send("hi");
      const [gotB, gotC] = await Promise.all([boxB!.next(), boxC!.next()]);
      assert.deepEqual(gotB, gotC);
      assert.equal(gotB.type, "$topic");
      assert.equal(gotB.topic, "room:1");
      assert.equal(gotB.data.text, "hi");
      await server.scope.run(() => publish("room:1", { n: 1 }));
      for (const box of [boxA!, boxB!, boxC!]) assert.deepEqual(await box.next(), { type: "$topic", topic: "room:1", data: { n: 1 } });
      c!.send("leave");
      await until(() => server.hub.subscriberCount("room:1") === 2);
      await server.realtime.publish("room:1", "two");
      assert.equal((await boxA!.next()).data, "two");
      assert.equal((await boxB!.next()).data, "two");
      await delay(50);
      assert.deepEqual([boxA!.queue, boxC!.queue, boxOther!.queue], [[], [], []]);
      for (const ws of [a, b, c, other]) ws!.close();
    } finally {
      await server.close();
    }
  });

  test("clients subscribe themselves only where the subscribe hook allows", async () => {
    const server = await startServer({ sockets: { "/rooms/[id]": rooms, "/closed": defineSocket({}) } });
    try {
      const ws = await open(`${server.ws}/rooms/9`);
      const box = inbox(ws);
      ws.send(JSON.stringify({ type: "$subscribe", topic: "public:news" }));
      assert.deepEqual(await box.next(), { type: "$subscribed", topic: "public:news" });
      ws.send(JSON.stringify({ type: "$subscribe", topic: "private:alice" }));
      const denied = await box.next();
      assert.equal(denied.code, "TND_ERR_REALTIME_SUBSCRIBE_DENIED");
      ws.send(JSON.stringify({ type: "$subscribe", topic: "public:\n" }));
      assert.equal((await box.next()).code, "TND_ERR_REALTIME_BAD_TOPIC");
      await server.scope.run(() => publish("private:alice", "secret"));
      await server.scope.run(() => publish("public:news", "headline"));
      assert.deepEqual(await box.next(), { type: "$topic", topic: "public:news", data: "headline" });
      ws.send(JSON.stringify({ type: "$unsubscribe", topic: "public:news" }));
      await until(() => server.hub.subscriberCount("public:news") === 0);
      await server.scope.run(() => publish("public:news", "again"));
      await delay(50);
      assert.deepEqual(box.queue, []);
      const locked = await open(`${server.ws}/closed`);
      const lockedBox = inbox(locked);
      locked.send(JSON.stringify({ type: "$subscribe", topic: "public:news" }));
      assert.match((await lockedBox.next()).message, /no subscribe hook/);
      ws.close();
      locked.close();
    } finally {
      await server.close();
    }
  });
});

test("with Redis unreachable, local subscribers still get messages and publish rejects instead of hanging", async () => {
  const logger = quietLogger();
  const server = await startServer({ sockets: { "/rooms/[id]": rooms }, realtime: { redisUrl: "redis://127.0.0.1:1", logger } });
  try {
    const ws = await open(`${server.ws}/rooms/5`);
    const started = Date.now();
    await assert.rejects(server.realtime.publish("room:5", "local"));
    assert.ok(Date.now() - started < 5000);
    assert.deepEqual(await inbox(ws).next(), { type: "$topic", topic: "room:5", data: "local" });
    assert.ok(logger.errors.some((args) => /Redis redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/.test(String(args[0]))));
    ws.close();
  } finally {
    await server.close();
  }
});

describe("pub/sub across two processes on real Redis", () => {
  const children: ChildProcess[] = [];
  after(() => {
    for (const child of children) child.kill("SIGTERM");
  });

  async function instance(): Promise<{ url: string; child: ChildProcess }> {
    const script = fileURLToPath(new URL("./fixtures/instance.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      env: { ...process.env, REDIS_URL },
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(child);
    const [line] = await Promise.race([
      once(child.stdout!, "data") as Promise<[Buffer]>,
      once(child, "exit").then(() => {
        throw new Error("instance exited before listening");
      }),
    ]);
    return { url: (JSON.parse(line.toString()) as { url: string }).url, child };
  }

  test("publish on A reaches clients on B; peer.publish on B reaches A but not its sender", async (t) => {
    if (!(await needRedis(t))) return;
    const [{ url: urlA }, { url: urlB }] = await Promise.all([instance(), instance()]);
    const topic = `board-${process.pid}-${Date.now()}`;
    const onA = await open(`${urlA.replace("http", "ws")}/topic/${topic}`);
    const onB = await open(`${urlB.replace("http", "ws")}/topic/${topic}`);
    const boxA = inbox(onA);
    const boxB = inbox(onB);
    assert.deepEqual(await boxA.next(), { ready: true });
    assert.deepEqual(await boxB.next(), { ready: true });
    // SUBSCRIBE reaches Redis asynchronously; at-most-once means earlier messages may be missed,
    // so wait until Redis counts both instances' subscriptions.
    const redis = new Redis(REDIS_URL);
    try {
      await until(async () => ((await redis.pubsub("NUMSUB", `tandem:rt:${topic}`)) as [string, number])[1] === 2);
    } finally {
      redis.disconnect();
    }
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${urlA}/publish?topic=${topic}&data=${i}`);
      assert.equal(res.status, 200);
    }
    for (let i = 0; i < 5; i++) {
      assert.deepEqual(await boxB.next(), { type: "$topic", topic, data: i }, "ordered per publisher on B");
      assert.deepEqual(await boxA.next(), { type: "$topic", topic, data: i }, "local delivery on A");
    }
    onB.send("from-b");
    assert.deepEqual(await boxA.next(), { type: "$topic", topic, data: { relay: "from-b" } });
    await delay(100);
    assert.deepEqual(boxB.queue, [], "the sender does not get its own message back");
    onA.close();
    onB.close();
  });

  test("a client cut off by a node's shutdown reconnects through the load balancer to another node and hears Redis again", async (t) => {
    if (!(await needRedis(t))) return;
    const [a, b] = await Promise.all([instance(), instance()]);
    const [urlA, urlB] = [a.url, b.url];
    // A minimal TCP load balancer: new connections go to whichever node is `target`.
    let target = Number(new URL(urlA).port);
    const balancer = createNetServer((down) => {
      const up = netConnect(target, "127.0.0.1");
      down.pipe(up).pipe(down);
      const drop = () => {
        down.destroy();
        up.destroy();
      };
      down.on("error", drop);
      up.on("error", drop);
      down.on("close", drop);
      up.on("close", drop);
    });
    await new Promise<void>((resolve) => balancer.listen(0, "127.0.0.1", resolve));
    const topic = `failover-${process.pid}-${Date.now()}`;
    const hub = new TopicHub({ broker: redisBroker({ url: REDIS_URL }) }); // a third node that only publishes
    const client = connect(`ws://127.0.0.1:${(balancer.address() as AddressInfo).port}/topic/${topic}`, {
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      reconnect: { minDelay: 20, maxDelay: 200 },
    });
    const heard: unknown[] = [];
    client.onTopic(topic, (data) => heard.push(data));
    const redis = new Redis(REDIS_URL);
    const subscribers = async () => ((await redis.pubsub("NUMSUB", `tandem:rt:${topic}`)) as [string, number])[1];
    try {
      await client.opened();
      await until(async () => (await subscribers()) === 1);
      await hub.publish(topic, "via A");
      await until(() => heard.includes("via A"));
      target = Number(new URL(urlB).port);
      a.child.kill("SIGTERM"); // node A shuts down: its sockets close with 1001
      await until(() => client.state === "reconnecting");
      await client.opened();
      await until(async () => (await subscribers()) === 1);
      await hub.publish(topic, "via B");
      await until(() => heard.includes("via B"));
      assert.deepEqual(heard, ["via A", "via B"]);
    } finally {
      await client.close();
      await hub.close();
      redis.disconnect();
      balancer.close();
    }
  });
});
