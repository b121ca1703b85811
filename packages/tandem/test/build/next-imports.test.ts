// The table of next/* modules is what the build checks imports against: it must list exactly
// what each module exports, or the build would refuse a real export or let a missing one through.
import assert from "node:assert/strict";
import { test } from "node:test";
import { NEXT_MODULES } from "../../src/build/next-imports.js";

for (const [specifier, module] of Object.entries(NEXT_MODULES)) {
  test(`${specifier}: the table lists ${module.target}'s exports`, async () => {
    const actual = Object.keys(await import(module.target)).sort();
    assert.deepEqual(actual, [...module.exports].sort());
  });
}
