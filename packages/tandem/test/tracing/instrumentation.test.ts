// loadInstrumentation on built files written by hand: found or not, a missing build, a register()
// that throws or is no function, and onRequestError hearing the request channels' errors (its own
// failure logged, never thrown into the request).
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { TandemError } from "../../src/errors/http-error.js";
import { loadInstrumentation } from "../../src/runtime/instrumentation.js";
import { channels } from "../../src/tracing/channels.js";

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A project with an instrumentation.ts and, unless `built` is undefined, its compiled copy. */
function project(built: string | undefined): string {
  const root = mkdtempSync(join(tmpdir(), "tandem-instrumentation-"));
  dirs.push(root);
  writeFileSync(join(root, "instrumentation.ts"), "export function register() {}\n");
  if (built !== undefined) {
    mkdirSync(join(root, ".tandem", "server"), { recursive: true });
    writeFileSync(join(root, ".tandem", "server", "instrumentation.js"), built);
  }
  return root;
}

test("no instrumentation file: nothing runs", async () => {
  const root = mkdtempSync(join(tmpdir(), "tandem-instrumentation-"));
  dirs.push(root);
  assert.equal(await loadInstrumentation(root, { dev: false }), false);
});

test("register() runs once per process, from src/ too", async () => {
  const root = mkdtempSync(join(tmpdir(), "tandem-instrumentation-"));
  dirs.push(root);
  mkdirSync(join(root, "src"));
  writeFileSync(join(root, "src", "instrumentation.ts"), "export function register() {}\n");
  mkdirSync(join(root, ".tandem", "server"), { recursive: true });
  writeFileSync(
    join(root, ".tandem", "server", "instrumentation.js"),
    "export function register() { globalThis.__registered = (globalThis.__registered ?? 0) + 1; }\n",
  );
  assert.equal(await loadInstrumentation(root, { dev: false }), true);
  assert.equal(await loadInstrumentation(root, { dev: false }), true);
  assert.equal((globalThis as { __registered?: number }).__registered, 1);
});

test("bad files stop the start with a code naming the file", async () => {
  const cases: Array<[string | undefined, string, RegExp]> = [
    [undefined, "TND_ERR_NO_BUILD", /run `tandem build` again/],
    ["export function register() { throw new Error('no collector'); }\n", "TND_ERR_INSTRUMENTATION", /register\(\) failed: no collector/],
    ["export const register = 42;\n", "TND_ERR_INVALID_CONFIG", /export register must be a function, got number/],
    ["export const onRequestError = 'x';\n", "TND_ERR_INVALID_CONFIG", /export onRequestError must be a function, got string/],
  ];
  for (const [built, code, message] of cases) {
    const root = project(built);
    await assert.rejects(
      loadInstrumentation(root, { dev: false }),
      (e: unknown) => e instanceof TandemError && e.code === code && message.test(e.message) && e.message.includes(root),
      code,
    );
  }
});

test("onRequestError hears route, action and middleware errors, not control flow; its own failure is logged", async () => {
  const root = project(`
export function onRequestError(error, request, context) {
  if (error.message === "throw in the hook") throw new Error("the hook broke");
  (globalThis.__reported ??= []).push({ message: error.message, path: request.path, method: request.method, auth: request.headers.authorization, ...context });
}
`);
  const logged: unknown[][] = [];
  await loadInstrumentation(root, { dev: false, logger: { error: (...args: unknown[]) => void logged.push(args) } });
  const request = new Request("http://localhost/api/cards/7?x=1", { method: "POST", headers: { authorization: "Bearer t" } });
  const fail = (error: unknown) => () => Promise.reject(error);
  await assert.rejects(channels.route.tracePromise(fail(new Error("route broke")), { request, method: "POST", route: "/api/cards/[id]" }));
  await assert.rejects(channels.action.tracePromise(fail(new Error("action broke")), { request, actionId: "abc#save" }));
  await assert.rejects(channels.middleware.tracePromise(fail(new Error("middleware broke")), { request, path: "/api/cards/7" }));
  const gone = Object.assign(new Error("gone"), { status: 410 });
  await assert.rejects(channels.route.tracePromise(fail(gone), { request, method: "POST", route: "/api/cards/[id]" }));
  await assert.rejects(channels.route.tracePromise(fail(new Error("throw in the hook")), { request, method: "POST", route: "/x" }));
  await new Promise((resolve) => setTimeout(resolve, 10));
  const base = { path: "/api/cards/7?x=1", method: "POST", auth: "Bearer t", routerKind: "App Router" };
  assert.deepEqual((globalThis as { __reported?: unknown[] }).__reported, [
    { ...base, message: "route broke", routePath: "/api/cards/[id]", routeType: "route" },
    { ...base, message: "action broke", routePath: "/api/cards/7", routeType: "action" },
    { ...base, message: "middleware broke", routePath: "/api/cards/7", routeType: "middleware" },
  ]);
  assert.equal(logged.length, 1);
  assert.match(String(logged[0]![0]), /onRequestError threw/);
  assert.equal((logged[0]![1] as Error).message, "the hook broke");
});
