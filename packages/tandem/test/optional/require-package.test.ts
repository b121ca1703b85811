import assert from "node:assert/strict";
import { test } from "node:test";
import { requirePackages } from "../../src/optional/require-package.js";

test("installed packages pass; missing ones stop with the npm install command", () => {
  requirePackages(["ws", "cookie"], "Sockets");
  assert.throws(
    () => requirePackages(["ws", "no-such-package-tandem-a", "no-such-package-tandem-b"], "Jobs on Redis (REDIS_URL is set)"),
    (error: Error & { code?: string }) =>
      error.code === "TND_ERR_MISSING_PACKAGE" &&
      error.message.startsWith(
        "Jobs on Redis (REDIS_URL is set) needs the packages no-such-package-tandem-a and no-such-package-tandem-b, which are not installed: run npm install no-such-package-tandem-a no-such-package-tandem-b",
      ),
  );
});

test("a package of files only (no entry point) counts as installed", () => {
  // @twemoji/svg holds SVG files and a package.json, nothing to import.
  requirePackages(["@twemoji/svg"], "Emoji");
});
