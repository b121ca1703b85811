import assert from "node:assert/strict";
import { test } from "node:test";
import { captureLogs, get, raw, start } from "./helpers.js";

// Hosts that look like `name[:port]` but that the WHATWG URL parser refuses (issue 16): each
// turned every route into a 500 whose error handling failed again on the same URL. Node 24's
// parser accepts "xn--a.com", so the list is what this Node's parser refuses.
const UNPARSABLE = ["127.0n0.1", "999.1.1.1", "1.2.3.4.5", "example.09", "xn--a.com", "327.0.0.1", "1.2.3.4.5:8080"].filter(
  (host) => !URL.canParse(`http://${host}/`),
);

test("a Host the URL parser refuses is a 400 TND_ERR_SERVER_BAD_HOST, logged nowhere, and the app never runs", async (t) => {
  assert.ok(UNPARSABLE.length >= 6);
  const logs = captureLogs();
  const seen: string[] = [];
  const server = await start(t, {
    logger: logs.logger,
    // What the app does with every request: parse its URL.
    fetch: (request) => {
      seen.push(new URL(request.url).host);
      return new Response("ok");
    },
  });
  for (const host of UNPARSABLE) {
    // Twice each: the second request takes the server's one-entry cache of the last Host.
    for (const path of ["/", "/a%20b?x=1"]) {
      const reply = await raw(server.port, get(host, path) + get("ok.test", "/next"), 1000, 2);
      assert.deepEqual(reply.statuses, [400, 200], `${host} ${path}`);
      assert.match(reply.text, /"code":"TND_ERR_SERVER_BAD_HOST"/, host);
    }
  }
  assert.deepEqual(new Set(seen), new Set(["ok.test"]));
  assert.deepEqual(logs.errors, []);
});

test("request.url holds the Host as the URL parser spells it", async (t) => {
  const server = await start(t, { fetch: (request) => new Response(request.url) });
  const cases: Array<[string, string]> = [
    ["EXAMPLE.com", "http://example.com/p"],
    ["0x7f.1:8080", "http://127.0.0.1:8080/p"],
    ["localhost:80", "http://localhost/p"],
    ["[::1]:3000", "http://[::1]:3000/p"],
    ["my_container:8080", "http://my_container:8080/p"],
  ];
  for (const [host, url] of cases) {
    const reply = await raw(server.port, get(host, "/p"));
    assert.deepEqual(reply.statuses, [200], host);
    assert.ok(reply.text.endsWith(`\r\n\r\n${url}`), `${host}: ${reply.text}`);
  }
});
