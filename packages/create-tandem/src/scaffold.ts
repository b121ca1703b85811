import { cp, mkdir, readdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { hasNodeSqlite, type Template } from "./templates.js";

export const TEMPLATES_DIR = fileURLToPath(new URL("../templates/", import.meta.url));

/** npm's rules for a new package name (lowercase, URL-safe, no leading dot or underscore, at most 214). */
export function packageNameProblem(name: string): string | undefined {
  if (name.length === 0) return "the name is empty";
  if (name.length > 214) return "the name is longer than 214 characters";
  if (/^[._]/.test(name)) return "the name starts with a dot or an underscore";
  if (name !== name.toLowerCase()) return "the name has capital letters";
  if (!/^[a-z0-9][a-z0-9._~-]*$/.test(name)) return "use only lowercase letters, digits, '-', '.', '_' and '~'";
  if (name === "node_modules" || name === "tandem") return `"${name}" is taken by a package the app depends on`;
  return undefined;
}

/** Files that may already be in a new project folder (a fresh git clone, an editor's settings). */
const HARMLESS = new Set([".git", ".gitignore", ".DS_Store", ".idea", ".vscode", "LICENSE", "README.md"]);

export async function folderProblem(dir: string): Promise<string | undefined> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined) return undefined;
  if (!info.isDirectory()) return `${dir} exists and is not a folder; choose another name`;
  const clashes = (await readdir(dir)).filter((name) => !HARMLESS.has(name));
  if (clashes.length > 0) {
    return `${dir} is not empty (${clashes.slice(0, 3).join(", ")}${clashes.length > 3 ? ", ..." : ""}); choose another name or empty it`;
  }
  return undefined;
}

export interface ScaffoldOptions {
  dir: string;
  template: Template;
  tandem: string;
  /**
   * The Node version the app is created on (default: this process's). A scaffold decides, not an
   * optionalDependency: npm installs (and builds) optional packages on every Node, so only leaving
   * better-sqlite3 out keeps a Node 22.13+ install free of native compiles.
   */
  node?: string;
}

/**
 * Writes the shared files, then the template's own, then package.json. npm pack drops files named
 * .gitignore, so the templates hold `_gitignore` and it is renamed here.
 */
export async function scaffold({
  dir,
  template,
  tandem,
  node = process.versions.node,
}: ScaffoldOptions): Promise<{ name: string; files: string[] }> {
  const root = resolve(dir);
  const name = basename(root);
  await mkdir(root, { recursive: true });
  await cp(join(TEMPLATES_DIR, "shared"), root, { recursive: true });
  await cp(join(TEMPLATES_DIR, template.name), root, { recursive: true });
  await rename(join(root, "_gitignore"), join(root, ".gitignore"));
  const readme = join(root, "README.md");
  await writeFile(readme, (await readFile(readme, "utf8")).replaceAll("{{name}}", name));
  const dependencies = { tandem, ...template.dependencies, ...(hasNodeSqlite(node) ? {} : template.withoutNodeSqlite) };
  const pkg = {
    name,
    version: "0.1.0",
    private: true,
    type: "module",
    scripts: {
      dev: "tandem dev",
      build: "tandem build",
      start: "tandem start",
      typecheck: "tandem typegen && tsc --noEmit",
      test: "node --import tsx --test test/app.test.ts",
      ...template.scripts,
    },
    engines: { node: ">=20.19" },
    dependencies: sorted(dependencies),
    devDependencies: sorted(template.devDependencies),
    // npm 11.16+ lists every dependency whose install script the app has not reviewed, and npm 12
    // skips them: esbuild (tsx's, which runs the tests) and better-sqlite3 (its native build) need theirs.
    allowScripts: sorted({ esbuild: true, ...("better-sqlite3" in dependencies ? { "better-sqlite3": true } : {}) }),
  };
  await writeFile(join(root, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  return { name, files: await listFiles(root) };
}

function sorted<T>(deps: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(deps).sort(([a], [b]) => (a < b ? -1 : 1)));
}

async function listFiles(root: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(root, rel)));
    else out.push(rel);
  }
  return out.sort();
}
