import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveMiddleware } from "../../src/app/middleware/load.js";
import { NextFetchEvent } from "../../src/app/middleware/event.js";
import { getMiddlewareSignal, rewritePath } from "../../src/app/middleware/signals.js";
import { isNotFoundError, notFound, redirect } from "../../src/app/navigation.js";
import type { MiddlewareModule } from "../../src/app/types.js";
import { NextRequest, NextResponse } from "../../src/compat/next-server.js";
import { TandemError } from "../../src/errors/http-error.js";

function exportError(mod: MiddlewareModule, mention: string): void {
  assert.throws(
    () => resolveMiddleware(mod),
    (error: unknown) => {
      assert.ok(error instanceof TandemError);
      assert.equal(error.code, "TND_ERR_MIDDLEWARE_EXPORT");
      assert.ok(error.message.includes(mention), `${error.message} should mention ${mention}`);
      return true;
    },
  );
}

test("accepts proxy (Next.js 16), middleware and default exports; a named export wins over default", async () => {
  const seen: string[] = [];
  const make = (name: string) => () => void seen.push(name);
  for (const [mod, expected] of [
    [{ proxy: make("proxy") }, "proxy"],
    [{ middleware: make("middleware") }, "middleware"],
    [{ default: make("default") }, "default"],
    [{ default: make("default"), middleware: make("middleware") }, "middleware"],
  ] as const) {
    seen.length = 0;
    const mw = resolveMiddleware({ ...mod });
    assert.equal(await mw.run(new Request("http://localhost/")), undefined);
    assert.deepEqual(seen, [expected]);
  }
});

test("a missing or wrong export is a startup error naming the file's exports", () => {
  exportError({ config: { matcher: "/x" }, helper: () => {} } as MiddlewareModule, "it exports config, helper");
  exportError({}, "it exports nothing");
  exportError({ middleware: "nope" }, 'export "middleware" must be a function');
  exportError({ proxy: () => {}, middleware: () => {} }, "both `proxy` and `middleware`");
  exportError(undefined as never, "not a module");
});

test("an invalid matcher fails when the module is resolved", () => {
  assert.throws(
    () => resolveMiddleware({ middleware: () => {}, config: { matcher: "nope" } }),
    (error: unknown) => error instanceof TandemError && error.code === "TND_ERR_MATCHER_INVALID",
  );
});

test("the same module object resolves once (dev re-imports unchanged modules)", () => {
  const mod = { middleware: () => {}, config: { matcher: "/a" } };
  assert.equal(resolveMiddleware(mod), resolveMiddleware(mod));
  const matches = resolveMiddleware(mod).matches;
  assert.equal(matches(new Request("http://h/a"), "/a"), true);
  assert.equal(matches(new Request("http://h/b"), "/b"), false);
});

test("middleware gets a NextRequest and a NextFetchEvent", async () => {
  let got: unknown[] = [];
  const mw = resolveMiddleware({ middleware: (...args: unknown[]) => void (got = args) });
  await mw.run(new Request("http://localhost/x?y=1"));
  assert.ok(got[0] instanceof NextRequest);
  assert.equal((got[0] as NextRequest).nextUrl.searchParams.get("y"), "1");
  assert.ok(got[1] instanceof NextFetchEvent);
  assert.equal((got[1] as NextFetchEvent).sourcePage, "/middleware");
  assert.throws(() => (got[1] as NextFetchEvent).passThroughOnException(), /not supported/);
  assert.throws(() => (got[1] as NextFetchEvent).request, /first argument/);
});

test("event.waitUntil keeps work alive after the response, logs rejections, and settled() waits", async () => {
  const errors: unknown[][] = [];
  let finished = false;
  const mw = resolveMiddleware(
    {
      middleware: (_request: NextRequest, event: NextFetchEvent) => {
        event.waitUntil(
          new Promise<void>((resolve) =>
            setTimeout(() => {
              finished = true;
              resolve();
            }, 20),
          ),
        );
        event.waitUntil(Promise.reject(new Error("analytics down")));
        return NextResponse.next();
      },
    },
    { logger: { error: (...args: unknown[]) => void errors.push(args) } },
  );
  const response = await mw.run(new Request("http://localhost/"));
  assert.equal(getMiddlewareSignal(response!)?.kind, "next");
  assert.equal(finished, false, "the response does not wait for waitUntil work");
  await mw.settled();
  assert.equal(finished, true);
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]![0]), /waitUntil\(\) rejected/);
  assert.match(String(errors[0]![1]), /analytics down/);
});

test("a thrown redirect() becomes its redirect response, resolved against the request URL", async () => {
  const mw = resolveMiddleware({
    middleware: (request: NextRequest) => {
      if (!request.cookies.has("session")) redirect(`/login?callbackUrl=${encodeURIComponent(request.nextUrl.pathname)}`);
    },
  });
  const response = await mw.run(new Request("http://localhost:3000/dashboard/settings"));
  assert.equal(response?.status, 307);
  assert.equal(response?.headers.get("location"), "http://localhost:3000/login?callbackUrl=%2Fdashboard%2Fsettings");
  const allowed = await mw.run(new Request("http://localhost:3000/dashboard", { headers: { cookie: "session=1" } }));
  assert.equal(allowed, undefined);
});

test("synchronous and asynchronous middleware resolve the same way", async () => {
  const sync = await resolveMiddleware({ middleware: () => new Response("no", { status: 401 }) }).run(new Request("http://h/"));
  assert.equal(sync?.status, 401);
  assert.equal(await resolveMiddleware({ middleware: () => undefined }).run(new Request("http://h/")), undefined);
  const later = await resolveMiddleware({ middleware: async () => new Response("no", { status: 403 }) }).run(new Request("http://h/"));
  assert.equal(later?.status, 403);
});

test("notFound() and other errors propagate to the app", async () => {
  const mw = resolveMiddleware({ middleware: () => notFound() });
  await assert.rejects(
    async () => mw.run(new Request("http://localhost/")),
    (error: unknown) => isNotFoundError(error),
  );
  const failing = resolveMiddleware({
    middleware: async () => {
      throw new Error("db down");
    },
  });
  await assert.rejects(async () => failing.run(new Request("http://localhost/")), /db down/);
  const throwing = resolveMiddleware({
    middleware: () => {
      throw new Error("sync failure");
    },
  });
  await assert.rejects(async () => throwing.run(new Request("http://localhost/")), /sync failure/);
});

test("a result that is not a Response is an error; null and undefined continue", async () => {
  for (const value of [null, undefined]) {
    assert.equal(await resolveMiddleware({ middleware: () => value }).run(new Request("http://h/")), undefined);
  }
  for (const value of ["ok", 42, { status: 200 }]) {
    await assert.rejects(
      async () => resolveMiddleware({ middleware: () => value }).run(new Request("http://h/")),
      (error: unknown) => error instanceof TandemError && error.code === "TND_ERR_MIDDLEWARE_RESULT",
    );
  }
});

test("run() hands the rewrite back as data; the app checks its origin per request", async () => {
  const to = (target: string) => resolveMiddleware({ middleware: () => NextResponse.rewrite(target) });
  const relative = await to("/en/about").run(new Request("http://127.0.0.1:8080/about"));
  const signal = getMiddlewareSignal(relative!);
  assert.equal(signal?.kind === "rewrite" && signal.destination, "/en/about");
  const foreign = getMiddlewareSignal((await to("http://internal.example/admin").run(new Request("http://127.0.0.1:8080/about")))!);
  assert.throws(
    () => foreign?.kind === "rewrite" && rewritePath(foreign.destination, () => "http://127.0.0.1:8080/about"),
    (error: unknown) => error instanceof TandemError && error.code === "TND_ERR_MIDDLEWARE_REWRITE",
  );
});
