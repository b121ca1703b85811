// Sockets and server-sent events in every mode, on docs/realtime.md's demo: a message from a
// socket reaches the room's other sockets and its SSE listeners; a POST publishes to both.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import type WebSocket from "ws";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";

const project = createProject({
  "app/rooms/[id]/socket.ts": `import { defineSocket } from "tandem/realtime";

export default defineSocket({
  open(peer) {
    peer.subscribe(\`room:\${peer.params.id}\`);
  },
  message(peer, message) {
    peer.publish(\`room:\${peer.params.id}\`, { text: String(message) });
  },
});
`,
  "app/rooms/[id]/route.ts": `import { publish, sse } from "tandem/realtime";

type Context = { params: Promise<{ id: string }> };

export async function POST(request: Request, { params }: Context) {
  await publish(\`room:\${(await params).id}\`, await request.json());
  return Response.json({ ok: true });
}

export function GET(request: Request, { params }: Context) {
  return sse(request, async (stream) => {
    stream.subscribe(\`room:\${(await params).id}\`);
  });
}
`,
});
after(() => project.remove());

/** Reads an SSE body until `pattern` shows up; the first chunk tells the stream is subscribed. */
function events(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  return {
    async first(): Promise<string> {
      const { value } = await reader.read();
      text += decoder.decode(value);
      return text;
    },
    async until(pattern: RegExp): Promise<string> {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) assert.fail(`the stream ended before ${pattern}: ${text}`);
        text += decoder.decode(value);
      }
      return text;
    },
    cancel: () => reader.cancel(),
  };
}

function nextMessage(socket: WebSocket): Promise<unknown> {
  return new Promise((resolve) => socket.once("message", (data) => resolve(JSON.parse(String(data)))));
}

describeModes("sockets and SSE", project.root, (app) => {
  test("a POST publishes to the room's SSE listeners", async () => {
    const response = await app().fetch("/rooms/1", { headers: { accept: "text/event-stream" } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
    const stream = events(response.body!);
    await stream.first();
    const posted = await app().fetch("/rooms/1", { method: "POST", body: JSON.stringify({ from: "api" }) });
    assert.deepEqual(await posted.json(), { ok: true });
    assert.match(await stream.until(/"from":"api"/), /event: room:1\ndata: \{"from":"api"\}/);
    await stream.cancel();
  });

  test("a socket message reaches the room's other sockets and its SSE listeners, not the sender", async () => {
    const [sender, member] = await Promise.all([app().socket("/rooms/2"), app().socket("/rooms/2")]);
    const response = await app().fetch("/rooms/2", { headers: { accept: "text/event-stream" } });
    const stream = events(response.body!);
    await stream.first();
    let echoed = false;
    sender.on("message", () => (echoed = true));
    const received = nextMessage(member);
    sender.send("hello");
    assert.deepEqual(await received, { type: "$topic", topic: "room:2", data: { text: "hello" } });
    assert.match(await stream.until(/hello/), /event: room:2\ndata: \{"text":"hello"\}/);
    assert.equal(echoed, false);
    await stream.cancel();
    sender.close();
    member.close();
  });
});
