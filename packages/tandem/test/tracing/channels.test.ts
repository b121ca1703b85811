// The tracing channels as a subscriber sees them, on the in-memory app: one context object per
// operation with the documented fields, nothing published while no one listens, and the
// documentation's own example (docs/observability.md) working as written.
import assert from "node:assert/strict";
import { tracingChannel } from "node:diagnostics_channel";
import { test } from "node:test";
import { createApp } from "../../src/app/create-app.js";
import type { AppManifest } from "../../src/app/types.js";
import { HttpError } from "../../src/errors/http-error.js";
import type { MiddlewareTraceContext, RequestTraceContext, RouteTraceContext } from "../../src/node.js";

const manifest: AppManifest = {
  routes: [
    { pattern: "/cards/[id]", route: async () => ({ GET: () => new Response("card") }) },
    {
      pattern: "/fail",
      route: async () => ({
        GET: () => {
          throw new Error("broken");
        },
      }),
    },
    {
      pattern: "/gone",
      route: async () => ({
        GET: async () => {
          throw new HttpError(410, "GONE", "gone");
        },
      }),
    },
  ],
  middleware: async () => ({ middleware: () => undefined, config: { matcher: ["/cards/:path*"] } }),
};

/** Every event of the three channels, in order, with the context it carried. */
function record() {
  const events: Array<{ channel: string; event: string; context: Record<string, unknown> }> = [];
  const undo: Array<() => void> = [];
  for (const name of ["request", "middleware", "route"]) {
    const channel = tracingChannel(`tandem:${name}`);
    for (const event of ["start", "end", "asyncStart", "asyncEnd", "error"] as const) {
      const listener = (message: unknown) => events.push({ channel: name, event, context: { ...(message as object) } });
      channel[event].subscribe(listener);
      undo.push(() => channel[event].unsubscribe(listener));
    }
  }
  return { events, stop: () => undo.forEach((fn) => fn()) };
}

test("a request: request, middleware and route contexts, finished at asyncEnd with the response", async () => {
  const identity = {};
  const app = createApp(manifest, { identity, logger: { error() {}, warn() {}, info() {} } });
  const { events, stop } = record();
  try {
    const response = await app.fetch(new Request("http://localhost/cards/7?x=1"));
    assert.equal(await response.text(), "card");
  } finally {
    stop();
  }
  assert.deepEqual(
    events.map((e) => `${e.channel}:${e.event}`),
    [
      "request:start",
      "middleware:start",
      "middleware:end",
      "request:end",
      "middleware:asyncStart",
      "middleware:asyncEnd",
      "route:start",
      "route:end",
      "route:asyncStart",
      "route:asyncEnd",
      "request:asyncStart",
      "request:asyncEnd",
    ],
  );
  const done = events.at(-1)!.context as unknown as RequestTraceContext;
  assert.equal(done.method, "GET");
  assert.equal(done.path, "/cards/7");
  assert.equal(done.route, "/cards/[id]");
  assert.equal(done.app, identity);
  assert.equal(done.result?.status, 200);
  const middleware = events.find((e) => e.channel === "middleware")!.context as unknown as MiddlewareTraceContext;
  assert.equal(middleware.path, "/cards/7");
  const route = events.find((e) => e.channel === "route" && e.event === "asyncEnd")!.context as unknown as RouteTraceContext;
  assert.equal(route.route, "/cards/[id]");
  assert.equal(route.method, "GET");
  assert.equal(route.result?.status, 200);
});

test("a handler's error: the route channel's error event has it, the request ends with the mapped response", async () => {
  const app = createApp(manifest, { logger: { error() {}, warn() {}, info() {} } });
  const { events, stop } = record();
  try {
    assert.equal((await app.fetch(new Request("http://localhost/fail"))).status, 500);
    assert.equal((await app.fetch(new Request("http://localhost/gone"))).status, 410);
  } finally {
    stop();
  }
  const errors = events.filter((e) => e.event === "error");
  assert.deepEqual(
    errors.map((e) => [e.channel, (e.context.error as Error).message]),
    [
      ["route", "broken"],
      ["route", "gone"],
    ],
  );
  const ends = events.filter((e) => e.channel === "request" && e.event === "asyncEnd");
  assert.deepEqual(
    ends.map((e) => (e.context as unknown as RequestTraceContext).result?.status),
    [500, 410],
  );
  assert.ok(
    ends.every((e) => e.context.error === undefined),
    "the request itself did not fail: it answered",
  );
});

test("nothing listens: no channel has subscribers, and the synchronous answer stays synchronous", () => {
  for (const name of ["request", "middleware", "route", "render", "action", "socket", "job"]) {
    assert.equal(tracingChannel(`tandem:${name}`).hasSubscribers, false, name);
  }
  const app = createApp({ routes: [{ pattern: "/", route: async () => ({ GET: () => new Response("hi") }) }] });
  return Promise.resolve(app.fetch(new Request("http://localhost/"))).then(() => {
    // Loaded now: the fast path hands back the handler's own Response, no promise.
    assert.ok(app.handle(new Request("http://localhost/")) instanceof Response);
  });
});

test("the documentation's slow-request example runs as written", async () => {
  const requests = tracingChannel<unknown, RequestTraceContext>("tandem:request");
  const started = new WeakMap<object, number>();
  const lines: string[] = [];
  const onStart = (context: unknown) => void started.set(context as object, performance.now() - 600);
  const onEnd = (message: unknown) => {
    const context = message as RequestTraceContext;
    const ms = performance.now() - (started.get(context) ?? performance.now());
    if (ms > 500) lines.push(`slow: ${context.method} ${context.route ?? context.path} ${context.result?.status}`);
  };
  requests.start.subscribe(onStart);
  requests.asyncEnd.subscribe(onEnd);
  try {
    await createApp(manifest).fetch(new Request("http://localhost/cards/1"));
  } finally {
    requests.start.unsubscribe(onStart);
    requests.asyncEnd.unsubscribe(onEnd);
  }
  assert.deepEqual(lines, ["slow: GET /cards/[id] 200"]);
});
