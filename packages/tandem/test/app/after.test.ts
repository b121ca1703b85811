// after()'s bookkeeping without a server: when tasks start, what a failure does, what shutdown
// waits for. The three modes (test/modes/next-server-extras.test.ts) test it through requests.
import assert from "node:assert/strict";
import { test } from "node:test";
import { after, AfterTracker, afterResponse, RequestAfter } from "../../src/app/after.js";
import { AppScope, currentRequestId } from "../../src/app/scope.js";

function recordingLogger(): { lines: unknown[][] } & Pick<Console, "error" | "warn" | "info"> {
  const lines: unknown[][] = [];
  const record = (...args: unknown[]): void => void lines.push(args);
  return { lines, error: record, warn: record, info: record };
}

test("after() outside a request throws TND_ERR_AFTER_OUTSIDE_REQUEST; a non-function TND_ERR_AFTER_INVALID", () => {
  assert.throws(() => after(() => {}), { code: "TND_ERR_AFTER_OUTSIDE_REQUEST" });
  assert.throws(() => after("later" as never), { code: "TND_ERR_AFTER_INVALID", message: /got string/ });
});

test("tasks wait for the body's end, see the request's scope, and a failure is logged", async () => {
  const logger = recordingLogger();
  const tracker = new AfterTracker(logger);
  const request = new RequestAfter(tracker);
  const scope = new AppScope(logger);
  const ran: string[] = [];
  const response = afterResponse(
    scope.runRequest(
      () => {
        after(() => ran.push(`first:${currentRequestId()}`));
        after(() => {
          throw new Error("task failed");
        });
        return new Response(new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode("body")), c.close()) }));
      },
      "req-1",
      request,
    ),
    request,
  ) as Response;
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(ran, [], "not before the body is read");
  assert.equal(await response.text(), "body");
  await tracker.settled();
  assert.deepEqual(ran, ["first:req-1"], "in the request's context");
  assert.match(String(logger.lines[0]?.[0]), /a task passed to after\(\) failed/);
  assert.equal((logger.lines[0]![1] as Error).message, "task failed");
});

test("settled() waits for a response being sent, and gives up on one nobody reads", async () => {
  const logger = recordingLogger();
  const tracker = new AfterTracker(logger);
  const request = new RequestAfter(tracker);
  const scope = new AppScope(logger);
  let ran = false;
  scope.runRequest(() => after(() => (ran = true)), "req-2", request);
  const started = Date.now();
  await tracker.settled(200);
  assert.equal(ran, true);
  assert.ok(Date.now() - started >= 190);
  assert.match(String(logger.lines[0]?.[0]), /1 response\(s\) still unsent at shutdown/);
});
