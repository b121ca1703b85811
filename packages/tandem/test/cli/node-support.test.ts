import assert from "node:assert/strict";
import { test } from "node:test";
import { nodeSupportWarning } from "../../src/cli/node-support.js";

test("tandem warns in one line on a Node.js older than 20.19, and on no newer one", () => {
  for (const version of ["20.19.0", "20.20.2", "22.23.3", "24.21.0", "26.10.0"])
    assert.equal(nodeSupportWarning(version), undefined, version);
  for (const version of ["18.20.4", "20.18.3", "19.9.0"]) {
    const line = nodeSupportWarning(version) ?? "";
    assert.match(line, new RegExp(`Node\\.js ${version.replaceAll(".", "\\.")} is not supported; use Node\\.js 20\\.19 or newer`));
    assert.equal(line.split("\n").length, 2);
  }
});
