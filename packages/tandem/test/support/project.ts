// Throwaway projects for CLI tests. They live inside the repository (git-ignored) so that
// `tandem` and `next/server` resolve through the workspace's node_modules, as in a real app.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const base = fileURLToPath(new URL("../../.test-projects/", import.meta.url));

export function createProject(files: Record<string, string>): { root: string; write(path: string, text: string): void; remove(): void } {
  mkdirSync(base, { recursive: true });
  const root = mkdtempSync(join(base, "p-"));
  const write = (path: string, text: string): void => {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  for (const [path, text] of Object.entries(files)) write(path, text);
  return { root, write, remove: () => rmSync(root, { recursive: true, force: true }) };
}
