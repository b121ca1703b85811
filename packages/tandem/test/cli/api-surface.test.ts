// The package's exports map against docs/api-surface.md: every runtime export of every subpath of
// the built package has a row there, and every row names something that subpath exports.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const pkgFile = fileURLToPath(new URL("../../package.json", import.meta.url));
const docsFile = fileURLToPath(new URL("../../../../docs/api-surface.md", import.meta.url));
const built = existsSync(fileURLToPath(new URL("../../dist/server.js", import.meta.url)));

/** Subpath -> names, from the table's `| \`tandem/x\` | \`name\` |` rows. */
function documented(): Map<string, Set<string>> {
  const rows = new Map<string, Set<string>>();
  for (const [, subpath, name] of readFileSync(docsFile, "utf8").matchAll(/^\|\s*`(tandem(?:\/[\w/-]+)?)`\s*\|\s*`(\w+)`\s*\|/gm)) {
    if (!rows.has(subpath!)) rows.set(subpath!, new Set());
    rows.get(subpath!)!.add(name!);
  }
  return rows;
}

test("every export of every subpath is in docs/api-surface.md, and nothing else is", { skip: !built && "dist/ is not built" }, async () => {
  const exportsMap = JSON.parse(readFileSync(pkgFile, "utf8")).exports as Record<string, string | { default?: string }>;
  const docs = documented();
  const seen = new Set<string>();
  for (const [key, target] of Object.entries(exportsMap)) {
    if (typeof target !== "object" || target.default === undefined) continue;
    const subpath = `tandem${key.slice(1)}`;
    seen.add(subpath);
    const names = Object.keys(await import(subpath)).sort();
    assert.ok(names.length > 0, `${subpath} exports nothing at run time`);
    const rows = docs.get(subpath) ?? new Set<string>();
    assert.deepEqual(
      names.filter((name) => !rows.has(name)),
      [],
      `${subpath} exports names docs/api-surface.md does not list`,
    );
    assert.deepEqual(
      [...rows].filter((name) => !names.includes(name)),
      [],
      `docs/api-surface.md lists names ${subpath} does not export`,
    );
  }
  assert.deepEqual(
    [...docs.keys()].filter((subpath) => !seen.has(subpath)),
    [],
    "docs/api-surface.md lists a subpath the package does not export",
  );
});
