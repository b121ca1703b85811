import assert from "node:assert/strict";
import { connect as tcp } from "node:net";
import { after, before, describe, test } from "node:test";
import { z } from "zod";
import { defineSocket } from "tandem/realtime";
import { closed, inbox, open, quietLogger, refusal, startServer, type TestServer } from "./helpers.js";

describe("socket routes", () => {
  let server: TestServer;
  const events: string[] = [];
  const logger = quietLogger();

  before(async () => {
    server = await startServer({
      realtime: { logger, allowedOrigins: ["https://admin.example.com"] },
      guard(request) {
        if (request.headers.get("authorization") === "Bearer no") return new Response("denied", { status: 401 });
        // A refusal whose body never ends: only its first 64 KiB are sent, then the socket is closed.
        if (request.headers.get("authorization") === "Bearer endless") {
          const chunk = new Uint8Array(16 * 1024).fill(97);
          return new Response(new ReadableStream({ pull: (c) => c.enqueue(chunk) }), { status: 401 });
        }
        return undefined;
      },
      sockets: {
        "/echo/[room]": defineSocket({
          upgrade(request, { params, cookies }) {
            if (cookies.get("user") === "banned") return new Response("banned", { status: 403 });
            return { data: { user: cookies.get("user") ?? "anon", room: params.room, ua: request.headers.get("x-test") } };
          },
          open(peer) {
            events.push(`open ${peer.data.user}`);
          },
          message(peer, message) {
            if (message === "whoami")
              return peer.send({ id: peer.id, data: peer.data, params: peer.params, path: new URL(peer.request.url).pathname });
            if (message === "boom") throw new Error("secret internals");
            if (message === "binary") return peer.send(new Uint8Array([1, 2, 3]));
            peer.send(message);
          },
          close(peer, { code }) {
            events.push(`close ${peer.data.user} ${code}`);
          },
        }),
        "/typed": defineSocket({
          schema: z.object({ kind: z.literal("add"), a: z.number(), b: z.number() }),
          message(peer, message) {
            peer.send({ sum: message.a + message.b });
          },
        }),
        "/slow": defineSocket({
          async message(peer, message) {
            // Later messages wait less, so out-of-order handling would show in the replies.
            await new Promise((r) => setTimeout(r, 40 - Number(message) * 8));
            peer.send(message);
          },
        }),
        "/not-a-socket": { hello: "world" },
      },
    });
  });
  after(() => server.close());

  test("accepts an upgrade, passes params, cookies and request to handlers, echoes", async () => {
    const ws = await open(`${server.ws}/echo/lobby`, { headers: { cookie: "user=ada", "x-test": "yes" } });
    const box = inbox(ws);
    ws.send("hello");
    assert.equal(await box.next(), "hello");
    ws.send("whoami");
    const who = await box.next();
    assert.deepEqual(who.data, { user: "ada", room: "lobby", ua: "yes" });
    assert.deepEqual(who.params, { room: "lobby" });
    assert.equal(who.path, "/echo/lobby");
    assert.match(who.id, /^[0-9a-f]{12}\.[0-9a-z]+$/);
    ws.send("binary");
    assert.deepEqual([...(await box.next())], [1, 2, 3]);
    ws.close(1000);
    await closed(ws);
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(events.includes("open ada"));
    assert.ok(events.includes("close ada 1000"));
  });

  test("a Response from upgrade() or the app's middleware refuses the handshake", async () => {
    assert.equal((await refusal(`${server.ws}/echo/x`, { headers: { cookie: "user=banned" } })).status, 403);
    const denied = await refusal(`${server.ws}/echo/x`, { headers: { authorization: "Bearer no" } });
    assert.deepEqual(denied, { status: 401, body: "denied" });
    assert.equal((await refusal(`${server.ws}/nowhere`)).status, 404);
    const endless = await refusal(`${server.ws}/echo/x`, { headers: { authorization: "Bearer endless" } });
    assert.equal(endless.status, 401);
    assert.equal(endless.body.length, 64 * 1024);
  });

  test("foreign Origin is refused with 403; own origin and allow-listed origins pass", async () => {
    const foreign = await refusal(`${server.ws}/echo/x`, { headers: { origin: "https://evil.example" } });
    assert.equal(foreign.status, 403);
    assert.equal(JSON.parse(foreign.body).error.code, "TND_ERR_REALTIME_ORIGIN");
    assert.equal((await refusal(`${server.ws}/echo/x`, { headers: { origin: "null" } })).status, 403);
    assert.equal((await refusal(`${server.ws}/echo/x`, { headers: { origin: "not a url" } })).status, 403);
    for (const origin of [server.url, "https://admin.example.com"]) {
      const ws = await open(`${server.ws}/echo/x`, { headers: { origin } });
      ws.close();
    }
  });

  test("schema: invalid JSON and invalid shapes get error frames, the socket stays open", async () => {
    const ws = await open(`${server.ws}/typed`);
    const box = inbox(ws);
    ws.send("{nope");
    const bad = await box.next();
    assert.equal(bad.type, "error");
    assert.equal(bad.code, "TND_ERR_REALTIME_BAD_JSON");
    ws.send(JSON.stringify({ kind: "add", a: 1, b: "2" }));
    const invalid = await box.next();
    assert.equal(invalid.code, "TND_ERR_REALTIME_INVALID_MESSAGE");
    assert.deepEqual(
      invalid.issues.map((i: { path: unknown }) => i.path),
      [["b"]],
    );
    ws.send(Buffer.from([1, 2]), { binary: true });
    assert.equal((await box.next()).code, "TND_ERR_REALTIME_BAD_JSON");
    ws.send(JSON.stringify({ kind: "add", a: 1, b: 2 }));
    assert.deepEqual(await box.next(), { sum: 3 });
    ws.close();
  });

  test("a handler that throws sends an error frame without internals and keeps the connection", async () => {
    const ws = await open(`${server.ws}/echo/x`);
    const box = inbox(ws);
    ws.send("boom");
    const frame = await box.next();
    assert.equal(frame.code, "TND_ERR_REALTIME_HANDLER");
    assert.doesNotMatch(JSON.stringify(frame), /secret/);
    assert.ok(logger.errors.some((args) => String(args[1]).includes("secret internals")));
    ws.send("still here");
    assert.equal(await box.next(), "still here");
    ws.close();
  });

  test("async handlers still see messages one at a time, in order", async () => {
    const ws = await open(`${server.ws}/slow`);
    const box = inbox(ws);
    for (let i = 0; i < 5; i++) ws.send(String(i));
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push(await box.next());
    assert.deepEqual(replies, [0, 1, 2, 3, 4]);
    ws.close();
  });

  test("messages over maxMessageSize (1 MiB) close the socket with 1009", async () => {
    const ws = await open(`${server.ws}/echo/x`);
    const box = inbox(ws);
    ws.send("x".repeat(1024 * 1024));
    assert.equal((await box.next()).length, 1024 * 1024);
    ws.send("x".repeat(1024 * 1024 + 1));
    assert.equal((await closed(ws)).code, 1009);
  });

  test("a socket.ts module without a defineSocket default export answers 500", async () => {
    const res = await refusal(`${server.ws}/not-a-socket`);
    assert.equal(res.status, 500);
    assert.equal(JSON.parse(res.body).error.code, "TND_ERR_REALTIME_BAD_SOCKET_MODULE");
  });

  test("non-WebSocket upgrades and absolute-form targets are refused with 400, nothing is fetched", async () => {
    const raw = (head: string) =>
      new Promise<string>((resolve) => {
        const socket = tcp(Number(new URL(server.url).port), "127.0.0.1", () => socket.write(head));
        let text = "";
        socket.on("data", (chunk) => {
          text += chunk.toString();
        });
        socket.on("close", () => resolve(text));
        socket.on("error", () => resolve(text));
      });
    const h2c = await raw("GET /echo/x HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: h2c\r\n\r\n");
    assert.match(h2c, /^HTTP\/1.1 400/);
    const absolute = await raw(
      "GET http://127.0.0.1:1/echo/x HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
    );
    assert.match(absolute, /^HTTP\/1.1 400/);
    assert.match(absolute, /TND_ERR_REALTIME_NOT_WEBSOCKET/);
  });

  test("defineSocket rejects handlers that are not functions and schemas that are not Standard Schemas", () => {
    assert.throws(() => defineSocket({ open: "nope" as never }), /TND_ERR_REALTIME_DEFINITION/);
    assert.throws(() => defineSocket({ schema: {} as never }), /Standard Schema/);
  });
});
