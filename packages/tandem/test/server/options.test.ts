import assert from "node:assert/strict";
import { createServer } from "node:net";
import { test } from "node:test";
import { TandemError } from "tandem/server";
import { serve, type ServeOptions } from "tandem/node";
import { start } from "./helpers.js";

const fetch = () => new Response("ok");

test("invalid limits and options fail at startup with TND_ERR_INVALID_OPTION naming the option", async () => {
  const bad: Array<[Partial<ServeOptions>, string]> = [
    [{ bodyLimit: Number.NaN }, "bodyLimit"],
    [{ bodyLimit: -1 }, "bodyLimit"],
    [{ bodyLimit: 1.5 }, "bodyLimit"],
    [{ bodyLimit: "1mb" as unknown as number }, "bodyLimit"],
    [{ maxHeaderSize: 10 }, "maxHeaderSize"],
    [{ headersTimeout: 0 }, "headersTimeout"],
    [{ requestTimeout: Number.POSITIVE_INFINITY }, "requestTimeout"],
    [{ keepAliveTimeout: -5 }, "keepAliveTimeout"],
    [{ handlerTimeout: -1 }, "handlerTimeout"],
    [{ handlerTimeout: 2.5 }, "handlerTimeout"],
    [{ shutdownTimeout: 2 ** 40 }, "shutdownTimeout"],
    [{ headersTimeout: 5000, requestTimeout: 1000 }, "headersTimeout"],
    [{ port: 70000 }, "port"],
    [{ port: "3000" as unknown as number }, "port"],
    [{ host: "" }, "host"],
    [{ trustProxy: "yes" as unknown as boolean }, "trustProxy"],
    [{ onShutdown: [() => {}, "nope" as unknown as () => void] }, "onShutdown"],
    [{ onUpgrade: 5 as unknown as ServeOptions["onUpgrade"] }, "onUpgrade"],
    [{ fetch: undefined as unknown as ServeOptions["fetch"] }, "fetch"],
  ];
  for (const [options, name] of bad) {
    await assert.rejects(
      serve({ fetch, port: 0, host: "127.0.0.1", ...options }),
      (error: unknown) => error instanceof TandemError && error.code === "TND_ERR_INVALID_OPTION" && error.message.includes(`"${name}"`),
      name,
    );
  }
});

test("a port in use is a clear TND_ERR_PORT_IN_USE", async (t) => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  t.after(() => blocker.close());
  const port = (blocker.address() as { port: number }).port;
  await assert.rejects(serve({ fetch, port, host: "127.0.0.1" }), (error: unknown) => {
    assert.ok(error instanceof TandemError);
    assert.equal(error.code, "TND_ERR_PORT_IN_USE");
    assert.match(error.message, new RegExp(`^port ${port} is already in use; pass --port or set PORT`));
    return true;
  });
});

test("defaults: keep-alive 72 s, url and port reported", async (t) => {
  const server = await start(t, { fetch });
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(server.url, `http://127.0.0.1:${server.port}`);
  const res = await globalThis.fetch(server.url);
  assert.equal(res.headers.get("keep-alive"), "timeout=72");
});
