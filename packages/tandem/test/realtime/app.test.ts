// Through the real pipeline: createApp (middleware, routing) + serve (node server) + createRealtime.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createApp } from "../../src/app/create-app.js";
import type { AppManifest } from "../../src/app/types.js";
import { NextResponse } from "../../src/compat/next-response.js";
import { defineSocket } from "../../src/realtime/define-socket.js";
import { createRealtime, type Realtime } from "../../src/realtime/node.js";
import { sse } from "../../src/realtime/sse.js";
import { fromNodeRequest } from "../../src/server/request.js";
import { serve } from "../../src/server/serve.js";
import type { RunningServer } from "../../src/server/types.js";
import { AppScope } from "../../src/app/scope.js";
import { appHub } from "../../src/realtime/app-hub.js";
import { closed, delay, inbox, open, quietLogger, refusal } from "./helpers.js";

const room = defineSocket({
  upgrade(request, { params }) {
    return { data: { user: request.headers.get("x-user"), room: params.id } };
  },
  open(peer) {
    peer.subscribe(`room:${peer.params.id}`);
    peer.send({ hello: peer.data.user, room: peer.data.room });
  },
  message(peer, message) {
    peer.publish(`room:${peer.params.id}`, { from: peer.data.user, text: message });
  },
});

const manifest: AppManifest = {
  routes: [
    {
      pattern: "/rooms/[id]",
      socket: () => ({ default: room }),
      route: () => ({
        GET: (request: Request, context: { params: Promise<Record<string, string | string[]>> }) =>
          sse(
            request,
            async (stream) => {
              stream.subscribe(`room:${(await context.params).id}`);
            },
            { heartbeat: 0 },
          ),
      }),
    },
    { pattern: "/plain", route: () => ({ GET: () => new Response("plain") }) },
  ],
  middleware: () => ({
    default(request: Request) {
      const token = request.headers.get("authorization") ?? new URL(request.url).searchParams.get("token");
      if (token !== "secret") return new Response("login first", { status: 401 });
      const headers = new Headers(request.headers);
      headers.set("x-user", "ada");
      return NextResponse.next({ request: { headers } });
    },
  }),
};

describe("socket.ts through createApp + serve", () => {
  let server: RunningServer;
  let realtime: Realtime;
  const scope = new AppScope();
  let wsUrl: string;

  before(async () => {
    const app = createApp(manifest, { logger: quietLogger() });
    const options = { defaultHost: "127.0.0.1" };
    realtime = createRealtime({ app, scope, redisUrl: "", logger: quietLogger(), toRequest: (req) => fromNodeRequest(req, options) });
    server = await serve({
      fetch: (request) => scope.run(() => app.fetch(request)),
      onUpgrade: realtime.onUpgrade,
      onShutdown: [() => realtime.close(), () => scope.close()],
      port: 0,
      host: "127.0.0.1",
      handleSignals: false,
      logger: quietLogger(),
    });
    wsUrl = server.url.replace("http", "ws");
  });
  after(() => server.close());

  test("middleware refuses an upgrade with 401 and its header overrides reach upgrade()", async () => {
    const refused = await refusal(`${wsUrl}/rooms/1`);
    assert.deepEqual(refused, { status: 401, body: "login first" });
    const ws = await open(`${wsUrl}/rooms/1?token=secret`);
    assert.deepEqual(await inbox(ws).next(), { hello: "ada", room: "1" });
    ws.close();
  });

  test("no socket.ts for the path answers 404 through the app", async () => {
    assert.equal((await refusal(`${wsUrl}/plain`, { headers: { authorization: "secret" } })).status, 404);
    assert.equal((await refusal(`${wsUrl}/missing`, { headers: { authorization: "secret" } })).status, 404);
  });

  test("a message on the socket reaches SSE listeners of the same route through the topic", async () => {
    const res = await fetch(`${server.url}/rooms/7`, { headers: { authorization: "secret" } });
    assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
    const reader = res.body!.getReader();
    const ws = await open(`${wsUrl}/rooms/7`, { headers: { authorization: "secret" } });
    await inbox(ws).next();
    // The route's handler subscribes after the response has gone out (it awaits params), so the
    // topic is ready once it holds both the socket and the stream: one message is then enough.
    for (let i = 0; i < 500 && appHub(scope).subscriberCount("room:7") < 2; i++) await delay(10);
    assert.equal(appHub(scope).subscriberCount("room:7"), 2);
    ws.send("hello");
    // One read at a time, each awaited: a read left pending (say, raced against a timer) would
    // still take the next chunk off the stream and drop it.
    const decoder = new TextDecoder();
    let text = "";
    while (!/event: room:7\n[^\n]*\n\n/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    assert.match(text, /event: room:7\ndata: \{"from":"ada","text":"hello"\}\n\n/);
    await reader.cancel();
    ws.close();
    // The client left: serve() aborts request.signal, the stream and the socket leave the topic.
    for (let i = 0; i < 100 && appHub(scope).subscriberCount("room:7") > 0; i++) await delay(10);
    assert.equal(appHub(scope).subscriberCount("room:7"), 0);
  });

  test("server.close() runs the realtime shutdown hook: sockets close with 1001", async () => {
    const ws = await open(`${wsUrl}/rooms/2`, { headers: { authorization: "secret" } });
    await inbox(ws).next();
    const [details] = await Promise.all([closed(ws), server.close()]);
    assert.equal(details.code, 1001);
    assert.equal(realtime.connections, 0);
  });
});
