// A copy of the example app in a temp folder, laid out as in the repository (so tsconfig's
// "extends" and package resolution still work): each test file builds and serves its own copy,
// so builds running in parallel cannot race over one .tandem/ folder.
import { cpSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const source = fileURLToPath(new URL("..", import.meta.url));
const repo = fileURLToPath(new URL("../../..", import.meta.url));

export function copyExample(): string {
  const copy = mkdtempSync(join(tmpdir(), "board-"));
  const root = join(copy, "examples", "board");
  cpSync(source, root, { recursive: true, filter: (path) => !/[/\\](\.tandem|\.data|node_modules|test)$/.test(path) });
  cpSync(join(repo, "tsconfig.base.json"), join(copy, "tsconfig.base.json"));
  symlinkSync(join(repo, "node_modules"), join(copy, "node_modules"), "dir");
  return root;
}
