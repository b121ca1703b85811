import assert from "node:assert/strict";
import { mkdtemp, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { renderRouteTypes, writeRouteTypes } from "../../src/build/typegen.js";
import { paramsType } from "../../src/build/typegen/params.js";
import { run } from "../../src/cli/typegen.js";
import { scanApp } from "../../src/router/scan.js";

const fixtures = fileURLToPath(new URL("./fixtures", import.meta.url));

test("params types from folder names", () => {
  assert.equal(paramsType("/"), "{}");
  assert.equal(paramsType("/a/[id]/b/[other-id]"), '{ "id": string; "other-id": string }');
  assert.equal(paramsType("/docs/[...slug]"), '{ "slug": string[] }');
  assert.equal(paramsType("/[[...slug]]"), '{ "slug"?: string[] }');
});

test("the committed fixture types are what typegen writes for the fixture app", async () => {
  const app = await scanApp(fixtures);
  const outDir = join(fixtures, ".tandem/types");
  const committed = await readFile(join(outDir, "routes.d.ts"), "utf8");
  assert.equal(renderRouteTypes(app, outDir), committed);
});

test("tandem typegen writes routes.d.ts, and leaves an unchanged file alone", async (t) => {
  const root = await mkdtemp(join(tmpdir(), "tandem-typegen-"));
  t.after(() => rm(root, { recursive: true, force: true }));
  await mkdir(join(root, "app/api/items/[id]"), { recursive: true });
  await writeFile(join(root, "app/api/items/[id]/route.ts"), "export const GET = () => new Response('x');\n");
  t.mock.method(console, "info", () => {});
  assert.equal(await run([], { root }), 0);
  const file = join(root, ".tandem/types/routes.d.ts");
  const text = await readFile(file, "utf8");
  assert.match(text, /"\/api\/items\/\[id\]": \{ "id": string \};/);
  assert.match(text, /typeof import\("\.\.\/\.\.\/app\/api\/items\/\[id\]\/route\.js"\)/);
  const before = (await stat(file)).mtimeMs;
  await new Promise((resolve) => setTimeout(resolve, 20));
  await writeRouteTypes(await scanApp(root), join(root, ".tandem/types"));
  assert.equal((await stat(file)).mtimeMs, before);
  t.mock.method(console, "error", () => {});
  assert.equal(await run(["--bogus"], { root }), 2);
});
