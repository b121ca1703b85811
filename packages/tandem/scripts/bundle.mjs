// Runs after tsc: bundles every entry point of the package (its exports and the CLI) from src/
// into dist/, sharing code through dist/chunks/, so that each module exists once in the process
// and state such as the middleware signals, the pub/sub hub and the job registry stays single.
// tsc's per-file output stays beside the bundles for what is read as files: the d.ts types and
// the pages entries that Vite builds into each app.
//
// Why rolldown and two passes: what `tandem start` costs before it listens is mostly loading ES
// modules, and node pays per file (resolve, link, evaluate) far more than per byte. Automatic
// code splitting cuts one chunk per set of entry points that share a module, which left about 17
// small chunks on the startup path. The first pass only learns which modules `tandem start` and an
// app's `tandem/server` import statically; the second puts exactly those into one chunk
// (chunks/core-*.js). Everything loaded later (sockets, jobs, OpenAPI, pages, the other commands)
// stays in chunks of its own, imported when used. See docs/decisions/0005-one-startup-chunk.md.
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const source = (path) => join(root, "src", path);

// "./dist/realtime/index.js" -> "realtime/index": the output name, and the source beside it.
const input = { "cli/main": source("cli/main.ts") };
for (const target of Object.values(pkg.exports)) {
  // "./env" is types only (env.d.ts): nothing to bundle.
  if (typeof target !== "object" || !target.default?.startsWith("./dist/")) continue;
  // next/link and next/script are Client Components that each app's Vite build reads as files.
  if (target.default.startsWith("./dist/pages/entries/")) continue;
  // next/image too: its Image is a "use client" module behind it.
  if (target.default === "./dist/image/next-image.js") continue;
  const name = target.default.replace(/^\.\/dist\//, "").replace(/\.js$/, "");
  input[name] = source(`${name}.ts`);
}

// What a production server loads before it listens: the CLI, its start command, and what an
// app's route files and middleware import (tandem/server, tandem/node).
const STARTUP = [source("cli/main.ts"), source("cli/start.ts"), source("server.ts"), source("node.ts")];
// Entries that run in browsers: what they share with the startup set (the error classes) gets a
// chunk of its own, so that a browser bundle never imports the server's core chunk.
const BROWSER = [source("client/index.ts"), source("realtime/client/index.ts")];

// Dependencies stay imports (users install them; native ones such as better-sqlite3 cannot be
// bundled), except two small CommonJS ones on the startup path: importing CommonJS from ESM runs
// node's export scanner over them, which cost more at startup than the packages' own code.
const INLINED = new Set(["cookie", "path-to-regexp", "mrmime"]);
const dependencies = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})].filter(
  (name) => !INLINED.has(name),
);
const external = (id) => id.startsWith("node:") || dependencies.some((name) => id === name || id.startsWith(`${name}/`));

const options = (codeSplitting) => ({
  cwd: root,
  input,
  platform: "node",
  external,
  transform: { target: "node20", jsx: { runtime: "automatic" } },
  logLevel: "warn",
  output: {
    dir: join(root, "dist"),
    format: "esm",
    entryFileNames: "[name].js",
    chunkFileNames: "chunks/[name]-[hash].js",
    sourcemap: true,
    // Readable stack traces in production logs matter more than a few kilobytes.
    minify: false,
    codeSplitting,
  },
});

/** The modules in the static import graph of `entries`, read from a first pass's chunks. */
function staticGraph(chunks, entries) {
  const pending = [...chunks.values()].filter((chunk) => entries.includes(chunk.facadeModuleId));
  if (pending.length !== entries.length) throw new Error("bundle: an entry has no chunk of its own in the first pass");
  const modules = new Set();
  const seen = new Set();
  while (pending.length > 0) {
    const chunk = pending.pop();
    if (seen.has(chunk.fileName)) continue;
    seen.add(chunk.fileName);
    for (const id of chunk.moduleIds) modules.add(id);
    for (const file of chunk.imports) if (chunks.has(file)) pending.push(chunks.get(file));
  }
  return modules;
}

// The first pass is not written: it only shows the module graph.
const { output } = await build({ ...options(true), write: false });
const chunks = new Map(output.filter((item) => item.type === "chunk").map((chunk) => [chunk.fileName, chunk]));
const startup = staticGraph(chunks, STARTUP);
const browser = staticGraph(chunks, BROWSER);
const shared = (id) => (startup.has(id) && browser.has(id)) || id.includes("rolldown/runtime");
// Chunk names carry content hashes: without this, every build would leave the previous ones behind.
rmSync(join(root, "dist", "chunks"), { recursive: true, force: true });
await build(
  options({
    groups: [
      { name: "shared", test: shared, priority: 2 },
      { name: "core", test: (id) => startup.has(id) && !shared(id), priority: 1 },
    ],
  }),
);

// tsc's per-file JavaScript is needed only where files are read as files: the pages modules that
// each app's Vite build takes (dist/pages, next/image) and what they import. Every other per-file .js and its
// map is a copy of code the bundles above already hold, which nothing can import (the exports map
// names the bundles); removing them keeps an API-only install within issue 18's 60 MB. The .d.ts
// files stay.
const dist = join(root, "dist");
const keep = new Set();
const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
const pending = walk(join(dist, "pages")).filter((file) => file.endsWith(".js"));
pending.push(join(dist, "image", "next-image.js"));
for (const name of Object.keys(input)) pending.push(join(dist, `${name}.js`));
for (const file of walk(join(dist, "chunks"))) if (file.endsWith(".js")) pending.push(file);
while (pending.length > 0) {
  const file = pending.pop();
  if (keep.has(file)) continue;
  keep.add(file);
  for (const [, spec] of readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+\.js)"/g)) {
    pending.push(join(dirname(file), spec));
  }
}
for (const file of walk(dist)) {
  if (file.endsWith(".js") && !keep.has(file)) {
    rmSync(file);
    rmSync(`${file}.map`, { force: true });
  }
}
