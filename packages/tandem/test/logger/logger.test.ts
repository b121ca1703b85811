// The framework's logger (pino): JSON lines, levels from options and LOG_LEVEL, console-style
// arguments, errors with their stacks, and tandem dev's readable lines.
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { createLogger } from "../../src/logger/create-logger.js";
import { formatPretty } from "../../src/logger/pretty.js";

function recorder(): { lines: string[]; write(line: string): void } {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(line) };
}

afterEach(() => {
  delete process.env.LOG_LEVEL;
});

test("JSON lines: level, message, fields, and an error with its stack", () => {
  const out = recorder();
  const logger = createLogger({ destination: out });
  logger.info("request", { reqId: "r-1", status: 200 });
  logger.error("tandem: writing the response failed", new TypeError("bad header"));
  logger.warn("odd value", 42);
  const [info, error, warn] = out.lines.map((line) => JSON.parse(line));
  assert.equal(info.level, 30);
  assert.equal(info.msg, "request");
  assert.equal(info.reqId, "r-1");
  assert.equal(info.status, 200);
  assert.equal(typeof info.time, "number");
  assert.equal(error.level, 50);
  assert.equal(error.msg, "tandem: writing the response failed");
  assert.equal(error.err.type, "TypeError");
  assert.equal(error.err.message, "bad header");
  assert.match(error.err.stack, /TypeError: bad header\n\s+at /);
  assert.equal(warn.msg, "odd value 42");
});

test("a (message, fields) line keeps pino's layout: level, time, pid, the fields in order, msg", () => {
  const out = recorder();
  const logger = createLogger({ destination: out });
  const fields = { reqId: "r-2", method: "GET", path: '/a"b', status: 200, ms: 1.4 };
  logger.info("request", fields);
  assert.match(
    out.lines[0]!,
    new RegExp(
      `^\\{"level":30,"time":\\d+,"pid":${process.pid},"reqId":"r-2","method":"GET","path":"/a\\\\"b","status":200,"ms":1.4,"msg":"request"\\}\\n$`,
    ),
  );
  // The caller's object is read, never changed.
  assert.deepEqual(fields, { reqId: "r-2", method: "GET", path: '/a"b', status: 200, ms: 1.4 });
});

test("levels: the option, LOG_LEVEL over it, silent", () => {
  const quiet = recorder();
  createLogger({ level: "warn", destination: quiet }).info("not shown");
  assert.deepEqual(quiet.lines, []);
  const debug = recorder();
  process.env.LOG_LEVEL = "debug";
  const logger = createLogger({ level: "warn", destination: debug });
  logger.debug("shown");
  logger.info("shown too");
  assert.equal(debug.lines.length, 2);
  process.env.LOG_LEVEL = "silent";
  const none = recorder();
  createLogger({ destination: none }).error("nothing", new Error("x"));
  assert.deepEqual(none.lines, []);
});

test("tandem dev's readable lines", () => {
  const out = recorder();
  createLogger({ pretty: true, destination: out }).error("job failed", { job: "export" }, new Error("disk full"));
  assert.match(out.lines[0]!, /^\d\d:\d\d:\d\d ERROR job failed job=export\nError: disk full\n\s+at /);
  assert.equal(formatPretty("not json\n"), "not json\n");
});
