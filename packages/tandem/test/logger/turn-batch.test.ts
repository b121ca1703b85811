// Production log lines go out once per event-loop turn (decision 0014): in order, none lost on
// process.exit or an uncaught exception.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { TurnBatch } from "../../src/logger/turn-batch.js";

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test("the lines of one turn go out in one write, in order; the next turn's in another", async () => {
  const writes: string[] = [];
  const batch = new TurnBatch({ write: (chunk) => writes.push(chunk) });
  batch.write("a\n");
  batch.write("b\n");
  batch.write("c\n");
  assert.deepEqual(writes, [], "nothing is written before the turn ends");
  await turn();
  assert.deepEqual(writes, ["a\nb\nc\n"]);
  batch.write("d\n");
  await turn();
  assert.deepEqual(writes, ["a\nb\nc\n", "d\n"]);
  await turn();
  assert.equal(writes.length, 2, "an empty turn writes nothing");
});

const logger = fileURLToPath(new URL("../../src/logger/create-logger.ts", import.meta.url));

for (const [how, ending] of [
  ["process.exit()", "process.exit(3)"],
  ["an uncaught exception", "throw new Error('boom')"],
] as const) {
  test(`lines written just before ${how} reach stdout`, () => {
    const script = `
      const { createLogger } = await import(${JSON.stringify(logger)});
      const log = createLogger();
      log.info("first", { n: 1 });
      log.error("last words", { n: 2 });
      ${ending};
    `;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
    const lines = child.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      lines.map((line) => [line.msg, line.n]),
      [
        ["first", 1],
        ["last words", 2],
      ],
      child.stderr,
    );
    assert.notEqual(child.status, 0);
  });
}
