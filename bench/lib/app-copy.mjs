import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// Copies of apps to build or run, so that timing them never touches the .tandem/, .next/ or data
// of someone running the original meanwhile, and so that every copy starts without caches.

const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));
const REPO_DIR = join(BENCH_DIR, "..");
const RUNS_DIR = join(BENCH_DIR, ".dev-runs");

/**
 * The example app copied to a temp folder with the repository's layout (as its live test does).
 */
export function boardCopy() {
  const copy = mkdtempSync(join(tmpdir(), "bench-board-"));
  const root = join(copy, "examples", "board");
  cpSync(join(REPO_DIR, "examples", "board"), root, {
    recursive: true,
    filter: (path) => !/[/\\](\.tandem|\.data|node_modules|test)$/.test(path),
  });
  cpSync(join(REPO_DIR, "tsconfig.base.json"), join(copy, "tsconfig.base.json"));
  symlinkSync(join(REPO_DIR, "node_modules"), join(copy, "node_modules"), "dir");
  return { root, cleanup: () => rmSync(copy, { recursive: true, force: true }) };
}

/**
 * A bench app (relative to bench/) copied into bench/.dev-runs/, where it resolves bench's
 * node_modules as the original does. `tandem dev` keeps Vite's dependency cache in the app's
 * .tandem/node_modules/.vite and Next.js keeps its cache in .next/, neither of which is copied.
 */
export function benchAppCopy(dir) {
  mkdirSync(RUNS_DIR, { recursive: true });
  const copy = mkdtempSync(join(RUNS_DIR, `${dir.replace(/[/\\]/g, "-")}-`));
  cpSync(join(BENCH_DIR, dir), copy, {
    recursive: true,
    filter: (path) => !/[/\\](\.tandem|\.next|node_modules|next-env\.d\.ts)$/.test(path),
  });
  return { root: copy, cleanup: () => rmSync(copy, { recursive: true, force: true }) };
}
