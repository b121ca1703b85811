// Tailwind v3's options as Tandem passes them: the app's config with its `content` globs made
// absolute, so that a build started outside the app's folder still finds the class names.
import assert from "node:assert/strict";
import type { createRequire } from "node:module";
import { join } from "node:path";
import { test } from "node:test";
import { tailwindV3Options } from "../../src/build/tailwind-v3.js";

const root = "/apps/site";

function fakeRequire(version: string, config: Record<string, unknown>): ReturnType<typeof createRequire> {
  const modules: Record<string, unknown> = {
    "tailwindcss/package.json": { version },
    "tailwindcss/loadConfig": (path: string) => ({ ...config, loadedFrom: path }),
  };
  return ((name: string) => modules[name]) as unknown as ReturnType<typeof createRequire>;
}

test("globs of an array are resolved against the app's folder; negations and raw content kept", async () => {
  const require = fakeRequire("3.4.19", { content: ["./app/**/*.tsx", "!./app/skip.tsx", "/abs/**/*.ts", { raw: "<p class='x'>" }] });
  const options = (await tailwindV3Options(root, require, { config: "./config/tw.js" })) as { config: Record<string, unknown> };
  assert.equal(options.config.loadedFrom, join(root, "config/tw.js"));
  assert.deepEqual(options.config.content, [
    join(root, "app/**/*.tsx"),
    `!${join(root, "app/skip.tsx")}`,
    "/abs/**/*.ts",
    { raw: "<p class='x'>" },
  ]);
});

test("`relative: true` resolves against the config file's folder, as Tailwind does", async () => {
  const require = fakeRequire("3.4.19", { content: { relative: true, files: ["./src/**/*.tsx"] } });
  const options = (await tailwindV3Options(root, require, { config: "./config/tw.js" })) as { config: { content: unknown } };
  assert.deepEqual(options.config.content, { relative: true, files: [join(root, "config/src/**/*.tsx")] });
});

test("a config object in postcss.config is used as given, its globs made absolute", async () => {
  const require = fakeRequire("3.4.19", {});
  const options = await tailwindV3Options(root, require, { config: { content: ["./app/**/*.tsx"], theme: {} } });
  assert.deepEqual(options, { config: { content: [join(root, "app/**/*.tsx")], theme: {} } });
});

test("Tailwind v4 (which is not a PostCSS plugin) and an app without a config get nothing", async () => {
  assert.equal(await tailwindV3Options(root, fakeRequire("4.3.5", {}), {}), undefined);
  assert.equal(await tailwindV3Options("/nonexistent-app", fakeRequire("3.4.19", {}), {}), undefined);
});
