import assert from "node:assert/strict";
import { test } from "node:test";
import { nodeSupportWarning } from "../../src/cli/node-support.js";

test("Node.js 20 and 22 run without a word; 24 and later get one line that names what fails", () => {
  assert.equal(nodeSupportWarning("20.19.0"), undefined);
  assert.equal(nodeSupportWarning("22.23.3"), undefined);
  const line = nodeSupportWarning("24.21.0");
  assert.match(line ?? "", /^tandem: Node\.js 24\.21\.0 is not supported yet: .*new Request\(request\).*use Node\.js 20\.19\+ or 22\n$/);
  assert.equal(line?.split("\n").length, 2);
  assert.match(nodeSupportWarning("25.0.0") ?? "", /Node\.js 25\.0\.0/);
});
