import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { defineSocket } from "tandem/realtime";
import { fromNodeRequest } from "tandem/node";
import { open, refusal, startServer, type TestServer } from "./helpers.js";

const echo = defineSocket({ message: (peer, message) => peer.send(message) });

describe("the WebSocket Origin check compares scheme, host and port", () => {
  let server: TestServer;
  let port: number;
  before(async () => {
    server = await startServer({ sockets: { "/echo": echo }, realtime: { allowedOrigins: ["https://admin.example.com"] } });
    port = Number(new URL(server.url).port);
  });
  after(() => server.close());

  test("the same host and port with another scheme is refused (a cookie must not ride along)", async () => {
    for (const origin of [`https://127.0.0.1:${port}`, `ws://127.0.0.1:${port}`, `wss://127.0.0.1:${port}`, `ftp://127.0.0.1:${port}`]) {
      const refused = await refusal(`${server.ws}/echo`, { headers: { origin, cookie: "session=s" } });
      assert.equal(refused.status, 403, origin);
      assert.equal(JSON.parse(refused.body).error.code, "TND_ERR_REALTIME_ORIGIN", origin);
    }
  });

  test("the page's own origin passes, with or without the default port spelled out", async () => {
    const ws = await open(`${server.ws}/echo`, { headers: { origin: `http://127.0.0.1:${port}` } });
    ws.close();
    const other = await startServer({ sockets: { "/echo": echo } });
    try {
      // A Host of "localhost:80" and an Origin without the port name the same origin.
      const refused = await refusal(`${other.ws}/echo`, { headers: { origin: "http://localhost", host: "localhost:81" } });
      assert.equal(refused.status, 403);
      const same = await open(`${other.ws}/echo`, { headers: { origin: "http://localhost", host: "localhost:80" } });
      same.close();
    } finally {
      await other.close();
    }
  });
});

describe("behind a trusted proxy the scheme is the proxy's", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({
      sockets: { "/echo": echo },
      realtime: { toRequest: (req) => fromNodeRequest(req, { bodyLimit: 0, trustProxy: true }) },
    });
  });
  after(() => server.close());

  test("X-Forwarded-Proto: https makes https://host the own origin, and http://host foreign", async () => {
    const headers = { host: "app.example", "x-forwarded-proto": "https" };
    const ws = await open(`${server.ws}/echo`, { headers: { ...headers, origin: "https://app.example" } });
    ws.close();
    const refused = await refusal(`${server.ws}/echo`, { headers: { ...headers, origin: "http://app.example" } });
    assert.equal(refused.status, 403);
  });
});
