import assert from "node:assert/strict";
import { test } from "node:test";
import { publish, sse, type SseStream } from "tandem/realtime";
import { AppScope } from "../../src/app/scope.js";
import { delay, startServer } from "./helpers.js";

/** Reads an SSE body into raw blocks ("field: value" lines separated by blank lines). */
function reader(body: ReadableStream<Uint8Array>) {
  const decoder = new TextDecoder();
  const stream = body.getReader();
  let buffer = "";
  return {
    async block(): Promise<string> {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          return block;
        }
        const { done, value } = await stream.read();
        if (done) return "<end>";
        buffer += decoder.decode(value, { stream: true });
      }
    },
    async untilEvent(): Promise<string> {
      for (;;) {
        const block = await this.block();
        if (!block.startsWith(":")) return block;
      }
    },
  };
}

test("sse: fields, heartbeats, topic messages, and cleanup when the client disconnects", async () => {
  let serverStream: SseStream | undefined;
  const server = await startServer({
    fetch(request) {
      return sse(
        request,
        (stream) => {
          serverStream = stream;
          stream.send({ event: "hello", id: "1", data: { multi: "line" } });
          stream.send({ data: "first\nsecond" });
          stream.subscribe("news");
          stream.subscribe("alerts", { event: "alert" });
        },
        { heartbeat: 40, retry: 1500 },
      );
    },
  });
  try {
    const aborter = new AbortController();
    const res = await fetch(`${server.url}/events`, { signal: aborter.signal });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
    assert.equal(res.headers.get("cache-control"), "no-cache, no-transform");
    const events = reader(res.body!);
    assert.equal(await events.block(), "retry: 1500");
    assert.equal(await events.untilEvent(), 'event: hello\nid: 1\ndata: {"multi":"line"}');
    assert.equal(await events.untilEvent(), "data: first\ndata: second");
    assert.equal(await events.block(), ": ping");
    await server.scope.run(() => publish("news", { headline: "up" }));
    await server.scope.run(() => publish("alerts", "fire"));
    assert.equal(await events.untilEvent(), 'event: news\ndata: {"headline":"up"}');
    assert.equal(await events.untilEvent(), 'event: alert\ndata: "fire"');
    assert.equal(server.hub.subscriberCount("news"), 1);
    aborter.abort();
    for (let i = 0; i < 50 && !serverStream!.signal.aborted; i++) await delay(10);
    assert.equal(serverStream!.signal.aborted, true);
    assert.equal(server.hub.subscriberCount("news"), 0);
    assert.equal(server.hub.subscriberCount("alerts"), 0);
  } finally {
    await server.close();
  }
});

test("sse: close() from the server ends the response; bad fields are refused", async () => {
  const server = await startServer({
    fetch(request) {
      return sse(
        request,
        async (stream) => {
          assert.throws(() => stream.send({ event: "x\ndata: forged", data: 1 }), /line breaks/);
          assert.throws(() => stream.subscribe("bad\ntopic"), /TND_ERR_REALTIME_BAD_TOPIC|Invalid topic/);
          stream.send({ data: "bye" });
          stream.close();
        },
        { heartbeat: 0 },
      );
    },
  });
  try {
    const res = await fetch(`${server.url}/events`);
    assert.equal(await res.text(), ": connected\n\ndata: bye\n\n");
  } finally {
    await server.close();
  }
});

test("sse: a handler that throws sends an error event and closes", async () => {
  const server = await startServer({
    fetch: (request) =>
      sse(
        request,
        () => {
          throw new Error("hidden detail");
        },
        { heartbeat: 0 },
      ),
  });
  const original = console.error;
  console.error = () => {};
  try {
    const text = await (await fetch(`${server.url}/events`)).text();
    assert.match(text, /event: error\ndata: \{"code":"TND_ERR_REALTIME_HANDLER"/);
    assert.doesNotMatch(text, /hidden detail/);
  } finally {
    console.error = original;
    await server.close();
  }
});

test("sse: a handler's failure is logged by the app's logger with the request's id", async () => {
  const lines: unknown[][] = [];
  const record = (...args: unknown[]) => void lines.push(args);
  const scope = new AppScope({ error: record, warn: record, info: record });
  const server = await startServer({
    fetch: (request) =>
      scope.run(() =>
        sse(
          request,
          () => {
            throw new Error("hidden detail");
          },
          { heartbeat: 0 },
        ),
      ),
  });
  try {
    const response = await fetch(`${server.url}/events`, { headers: { "x-request-id": "not-trusted" } });
    assert.match(await response.text(), /event: error/);
    assert.equal(lines.length, 1);
    const [message, error, fields] = lines[0] as [string, Error, { reqId: string }];
    assert.match(message, /^\[tandem\] \S+ realtime: sse handler failed/);
    assert.ok(message.includes(fields.reqId));
    assert.equal(error.message, "hidden detail");
  } finally {
    await scope.close();
    await server.close();
  }
});
