import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { packageVersion } from "./machine.mjs";

// Servers a suite can run. Each one knows how to build itself (if it needs to) and which command
// starts it on a given port; the suite decides what to measure.

const run = promisify(execFile);
const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));
const REPO_DIR = join(BENCH_DIR, "..");
const TANDEM_PKG = join(REPO_DIR, "packages", "tandem");
const TANDEM_BIN = join(TANDEM_PKG, "bin", "tandem.js");
const require = createRequire(import.meta.url);

const productionEnv = (port) => ({
  ...process.env,
  NODE_ENV: "production",
  PORT: String(port),
  NEXT_TELEMETRY_DISABLED: "1",
});

async function step(cmd, args, cwd, env = process.env) {
  try {
    await run(cmd, args, { cwd, env, timeout: 10 * 60_000, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const output = `${error.stdout ?? ""}${error.stderr ?? ""}`.trim().split("\n").slice(-20).join("\n");
    throw new Error(`\`${[cmd, ...args].join(" ")}\` failed (${error.code ?? error.signal})\n${output}`);
  }
}

/** A plain Node script from peers/ that reads PORT from the environment. */
export function nodeScript({ name, label, file, packages }) {
  return {
    name,
    label,
    version: () => packages.map((pkg) => `${pkg} ${packageVersion(pkg)}`).join(", ") || `node ${process.version}`,
    start: (port) => ({ cmd: process.execPath, args: [join(BENCH_DIR, file)], cwd: BENCH_DIR, env: productionEnv(port) }),
  };
}

/** A Next.js app: `next build`, then `next start`, as its docs deploy it. */
export function nextApp({ name = "next", label = "Next.js", dir }) {
  const bin = join(dirname(require.resolve("next/package.json")), "dist", "bin", "next");
  return {
    name,
    label,
    version: () => `next ${packageVersion("next")}`,
    build: () => step(process.execPath, [bin, "build", dir], BENCH_DIR, productionEnv(0)),
    start: (port) => ({
      cmd: process.execPath,
      args: [bin, "start", dir, "--port", String(port), "--hostname", "127.0.0.1"],
      cwd: BENCH_DIR,
      env: productionEnv(port),
    }),
  };
}

/**
 * A Tandem app, taken from this repository. The package is compiled first so the numbers are
 * for the source in the work tree, not a stale dist/; if that compile fails (nothing is written
 * then) but a dist/ exists, the old dist/ is used and the warning ends up in the results.
 */
export function tandemApp({ name = "tandem", label = "Tandem", dir }) {
  return {
    name,
    label,
    version: () => `tandem ${require(join(TANDEM_PKG, "package.json")).version}`,
    async build(log) {
      if (!existsSync(join(REPO_DIR, "node_modules"))) {
        throw new Error("the repository's dependencies are not installed: run `npm install` at the repository root first");
      }
      let warning;
      try {
        // --noEmitOnError: a compile with type errors (someone mid-edit) must not overwrite a
        // working dist/ with half-broken output.
        await step("npm", ["run", "build", "-w", "tandem", "--", "--noEmitOnError"], REPO_DIR);
      } catch (error) {
        if (!existsSync(join(TANDEM_PKG, "dist", "cli", "main.js"))) throw error;
        const firstError = error.message.split("\n").find((line) => line.includes("error TS")) ?? error.message.split("\n")[0];
        warning = `compiling packages/tandem failed, so the existing dist/ was measured (${firstError.trim()})`;
        log(`  warning: ${warning}`);
      }
      await step(process.execPath, [TANDEM_BIN, "build", dir], BENCH_DIR, productionEnv(0));
      return warning;
    },
    start: (port) => ({
      cmd: process.execPath,
      args: [TANDEM_BIN, "start", dir, "--port", String(port), "--host", "127.0.0.1"],
      cwd: BENCH_DIR,
      env: productionEnv(port),
    }),
  };
}
