import assert from "node:assert/strict";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { fromNodeRequest, takeArrivedText } from "../../src/server/request.js";
import { open, readUntil } from "./helpers.js";

// A body taken whole with one read() must still let the IncomingMessage end. node:http keeps a
// request it has not seen end referenced from the connection's parser until the next request
// arrives, and 50 idle keep-alive connections then hold 50 dead requests that every young-gen
// scavenge copies: RSS after a POST load grew to twice Fastify's young generation.

type Reader = (request: Request) => Promise<string>;
const READERS: Record<string, Reader> = {
  json: async (request) => JSON.stringify(await request.json()),
  text: (request) => request.text(),
  bytes: async (request) => String((await request.bytes()).length),
  // What defineHandler does: take the body now if it is all here, else read it.
  arrived: async (request) => {
    await null;
    return takeArrivedText(request) ?? "not here";
  },
};

async function serveEnds(t: test.TestContext, read: Reader, delay: boolean) {
  const ended: boolean[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const request = fromNodeRequest(req, {}, res);
    let end = false;
    req.once("end", () => (end = true));
    void (async () => {
      // With a delay the body is all in (message complete) before it is read; without, the read
      // comes in the microtask after the headers, before node:http has seen the message end.
      if (delay) await sleep(20);
      const body = await read(request);
      res.end(body, () => setTimeout(() => ended.push(end), 50));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return { port: (server.address() as AddressInfo).port, ended };
}

for (const [name, read] of Object.entries(READERS)) {
  for (const delay of [false, true]) {
    test(`${name}() of a body that came with the headers lets the request end (${delay ? "read late" : "read at once"})`, async (t) => {
      const { port, ended } = await serveEnds(t, read, delay);
      const socket = await open(port);
      t.after(() => socket.destroy());
      const body = '{"a":1}';
      socket.write(
        `POST /p HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      const reply = await readUntil(socket, (text) => text.includes("\r\n\r\n") && /(\{"a":1\}|7|not here)$/.test(text));
      assert.match(reply, /^HTTP\/1\.1 200 /);
      for (let i = 0; i < 50 && ended.length === 0; i++) await sleep(10);
      assert.deepEqual(ended, [true], "the IncomingMessage never emitted 'end'");
    });
  }
}
