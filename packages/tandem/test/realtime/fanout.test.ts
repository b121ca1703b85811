// Topic deliveries are framed by Tandem once per publish and written straight to each socket
// (see SocketPeer.deliver); these tests hold that path to what ws.send guaranteed before.
import assert from "node:assert/strict";
import { test } from "node:test";
import { defineSocket } from "../../src/realtime/define-socket.js";
import { topicFrame } from "../../src/realtime/frames.js";
import type { CloseDetails } from "../../src/realtime/types.js";
import { closed, inbox, open, slowAndFast, startServer, until } from "./helpers.js";

/** A string whose `$topic` frame on topic "t" is exactly `bytes` long in UTF-8. */
function dataForFrameOf(bytes: number, char = "x"): string {
  const overhead = Buffer.byteLength(topicFrame("t", '""'));
  const each = Buffer.byteLength(char);
  const count = Math.floor((bytes - overhead) / each);
  return char.repeat(count) + "x".repeat(bytes - overhead - count * each);
}

test("topic frames of every length class arrive intact and in order with the peer's own sends", async () => {
  // 125/126 and 65535/65536 are where the frame header grows (7-bit, 16-bit, 64-bit lengths).
  const sizes = [40, 125, 126, 127, 65_535, 65_536, 65_537, 700_000];
  const payloads = [...sizes.map((size) => dataForFrameOf(size)), dataForFrameOf(70_001, "é"), dataForFrameOf(200, "🙂")];
  let hub: { publish(topic: string, data: unknown): Promise<void> } | undefined;
  const definition = defineSocket({
    open(peer) {
      peer.subscribe("t");
    },
    async message(peer) {
      peer.send("before");
      for (const data of payloads) {
        await hub!.publish("t", data);
        peer.send("between");
      }
      peer.send("after");
    },
  });
  const server = await startServer({ sockets: { "/s": definition } });
  hub = server.realtime;
  try {
    const ws = await open(`${server.ws}/s`);
    const box = inbox(ws);
    ws.send("go");
    assert.equal(await box.next(), "before");
    for (const data of payloads) {
      const got = await box.next();
      assert.equal(got.type, "$topic");
      assert.equal(got.data.length, data.length);
      assert.ok(got.data === data, `payload of ${data.length} chars differs`);
      assert.equal(await box.next(), "between");
    }
    assert.equal(await box.next(), "after");
    ws.close();
  } finally {
    await server.close();
  }
});

test("a subscriber that stops reading topic messages is cut off at 1 MiB buffered; the others keep getting them", async () => {
  const closes: CloseDetails[] = [];
  const definition = defineSocket({
    open(peer) {
      peer.subscribe("news");
    },
    close(_peer, details) {
      closes.push(details);
    },
  });
  const server = await startServer({ sockets: { "/s": definition } });
  try {
    const { slow, fast, fastBox } = await slowAndFast(`${server.ws}/s`);
    const chunk = "y".repeat(64 * 1024);
    // Until the kernel's buffers fill and Tandem's own queue passes 1 MiB.
    for (let i = 0; i < 400 && closes.length === 0; i++) {
      await server.realtime.publish("news", chunk);
      assert.equal((await fastBox.next()).data.length, chunk.length);
    }
    await until(() => closes.length === 1);
    assert.deepEqual(closes[0], { code: 1008, reason: "slow reader" });
    assert.equal(server.realtime.connections, 1);
    await server.realtime.publish("news", "still here");
    assert.equal((await fastBox.next()).data, "still here");
    fast.close();
    slow.terminate();
    await closed(slow);
  } finally {
    await server.close();
  }
});
