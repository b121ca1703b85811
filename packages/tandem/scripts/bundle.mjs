// Runs after tsc: bundles every entry point of the package (its exports and the CLI) from src/
// into dist/, sharing code through dist/chunks/. Why: `tandem start` loaded about 70 small ES
// modules, and resolving and linking each one cost more than everything else it does before
// listening. One esbuild run with code splitting keeps a single copy of every module, so state
// such as the middleware signals, the pub/sub hub and the job registry stays one across entries.
// tsc's per-file output stays beside the bundles for what is read as files: the d.ts types and
// the pages entries that Vite builds into each app.
import { readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

// "./dist/realtime/index.js" -> "src/realtime/index.ts"
const toSource = (file) => join(root, file.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts"));
const entryPoints = [join(root, "src/cli/main.ts")];
for (const target of Object.values(pkg.exports)) {
  if (typeof target === "object" && target.default.startsWith("./dist/")) entryPoints.push(toSource(target.default));
}

// Dependencies stay imports (users install them; native ones such as better-sqlite3 cannot be
// bundled), except two small CommonJS ones on the startup path: importing CommonJS from ESM runs
// node's export scanner over them, which cost more at startup than the packages' own code.
const INLINED = new Set(["cookie", "path-to-regexp"]);
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]
  .filter((name) => !INLINED.has(name))
  .flatMap((name) => [name, `${name}/*`]);

// Chunk names carry content hashes: without this, every build would leave the previous ones behind.
rmSync(join(root, "dist", "chunks"), { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints,
  outdir: join(root, "dist"),
  outbase: join(root, "src"),
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external,
  chunkNames: "chunks/[name]-[hash]",
  sourcemap: true,
  // Readable stack traces in production logs matter more than a few kilobytes.
  minify: false,
  jsx: "automatic",
  logLevel: "warning",
});
