import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { errorRegistry } from "../../src/errors/registry.js";
import { renderErrorsDoc } from "./render.js";

const src = fileURLToPath(new URL("../../src/", import.meta.url));
const docs = fileURLToPath(new URL("../../../../docs/errors.md", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

test("every TND_ERR_* code used in the source is in the registry", () => {
  const missing = new Set<string>();
  for (const file of sources(src)) {
    for (const [code] of readFileSync(file, "utf8").matchAll(/TND_ERR_[A-Z0-9_]+/g)) {
      if (!(code in errorRegistry)) missing.add(`${code} (${file.slice(src.length)})`);
    }
  }
  assert.deepEqual([...missing], []);
});

test("every registry entry has a status and a sentence", () => {
  for (const [code, spec] of Object.entries(errorRegistry)) {
    assert.match(code, /^TND_ERR_[A-Z0-9_]+$/);
    assert.ok(Number.isInteger(spec.status) && spec.status >= 300 && spec.status <= 599, code);
    assert.ok(spec.description.length > 10, code);
  }
});

test("docs/errors.md is generated from the registry (npx tsx scripts/errors-doc.ts)", () => {
  assert.equal(readFileSync(docs, "utf8"), renderErrorsDoc());
});
