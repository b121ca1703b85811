import type { Dirent } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const SKIPPED = new Set(["node_modules", "public", "dist", "build", "out", "coverage"]);

/**
 * Whether any of the app's own source files (not node_modules, build output or dot folders)
 * contains any of `texts` (or matches a pattern): one walk, however many texts are asked about.
 */
export async function sourceMentions(dir: string, texts: readonly (string | RegExp)[], depth = 0): Promise<boolean> {
  if (depth > 8) return false;
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const entry of entries) {
    if (entry.name.startsWith(".") || SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (await sourceMentions(path, texts, depth + 1)) return true;
    } else if (SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts")) {
      const source = await readFile(path, "utf8");
      if (texts.some((text) => (typeof text === "string" ? source.includes(text) : text.test(source)))) return true;
    }
  }
  return false;
}
