// `tandem start` should listen within about 1.5x the time plain node:http takes, and most of what
// it does before listening is loading ES modules, which node pays per file (resolve, link,
// evaluate) far more than per byte (docs/decisions/0005-one-startup-chunk.md). These tests hold
// dist/ to that layout: what the CLI, its start command and an app's `tandem/server` load is a
// handful of files that import nothing but node's own modules.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

const dist = fileURLToPath(new URL("../../dist/", import.meta.url));
const STATIC_IMPORT = /^\s*(?:import|export)\s(?:[^;"']*?\sfrom\s*)?["']([^"']+)["']/gm;

/** The files `entries` load statically (themselves included), and the bare specifiers they import. */
function staticGraph(entries: string[]): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = entries.map((entry) => join(dist, entry));
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const [, specifier] of readFileSync(file, "utf8").matchAll(STATIC_IMPORT)) {
      if (specifier!.startsWith(".")) pending.push(join(dirname(file), specifier!));
      else packages.add(specifier!);
    }
  }
  return { files, packages };
}

const names = (files: Set<string>): string[] => [...files].map((file) => relative(dist, file)).sort();

test("tandem start and tandem/server load at most six files of Tandem's, and only node: modules", {
  skip: !existsSync(join(dist, "cli/main.js")) && "dist/ is not built",
}, () => {
  const { files, packages } = staticGraph(["cli/main.js", "server.js", "node.js"]);
  // main.js, server.js, node.js, and the core, shared and bundler-runtime chunks.
  assert.ok(files.size <= 6, `startup loads ${files.size} files: ${names(files).join(", ")}`);
  assert.deepEqual(
    [...packages].filter((name) => !name.startsWith("node:")),
    [],
    "startup imports a dependency package",
  );
  // The start command itself is in one of those files, not one more chunk behind a dynamic import.
  const start = [...files].find((file) => readFileSync(file, "utf8").includes("// src/cli/start.ts"));
  assert.ok(start !== undefined, `src/cli/start.ts is not in ${names(files).join(", ")}`);
});

test("browser entries never import the server's core chunk", {
  skip: !existsSync(join(dist, "client/index.js")) && "dist/ is not built",
}, () => {
  for (const entry of ["client/index.js", "realtime/client/index.js"]) {
    const { files, packages } = staticGraph([entry]);
    const node = [...packages].filter((name) => name.startsWith("node:"));
    assert.deepEqual(node, [], `${entry} imports ${node.join(", ")} (through ${names(files).join(", ")})`);
    assert.ok(!names(files).some((name) => /chunks\/core-/.test(name)), `${entry} loads ${names(files).join(", ")}`);
  }
});

test("browser entries carry no error descriptions (the registry stays on the server)", {
  skip: !existsSync(join(dist, "client/index.js")) && "dist/ is not built",
}, () => {
  for (const entry of ["client/index.js", "realtime/client/index.js"]) {
    const { files } = staticGraph([entry]);
    const text = [...files].map((file) => readFileSync(file, "utf8")).join("\n");
    // A description that only the registry holds (errors/core.ts).
    assert.ok(!text.includes("description:"), `${entry} bundles error descriptions (through ${names(files).join(", ")})`);
    assert.ok(!text.includes("src/errors/registry.ts"), `${entry} bundles the error registry`);
  }
});
