import { existsSync } from "node:fs";
import type { createRequire } from "node:module";
import { dirname, isAbsolute, join, resolve } from "node:path";

/** Tailwind v3's names, in its own order of lookup. */
const CONFIG_FILES = [
  "tailwind.config.js",
  "tailwind.config.cjs",
  "tailwind.config.mjs",
  "tailwind.config.ts",
  "tailwind.config.cts",
  "tailwind.config.mts",
];

type Require = ReturnType<typeof createRequire>;

function absolute(glob: unknown, base: string): unknown {
  if (typeof glob !== "string") return glob;
  const negated = glob.startsWith("!");
  const path = negated ? glob.slice(1) : glob;
  return (negated ? "!" : "") + (isAbsolute(path) ? path : resolve(base, path));
}

/** `content` as `["./app/**\/*.tsx"]` or `{ files, relative, ... }`, its globs made absolute. */
function absoluteContent(content: unknown, root: string, configDir: string): unknown {
  if (Array.isArray(content)) return content.map((glob) => absolute(glob, root));
  if (content === null || typeof content !== "object") return content;
  const object = content as { files?: unknown; relative?: unknown };
  if (!Array.isArray(object.files)) return content;
  const base = object.relative === true ? configDir : root;
  return { ...object, files: object.files.map((glob) => absolute(glob, base)) };
}

/**
 * postcss.config's `tailwindcss` when it is Tailwind v3: the plugin's options, the app's
 * tailwind.config as an object whose `content` globs are absolute. Tailwind v3 finds its config
 * and resolves those globs from the working directory, which is the app's folder under
 * `next build` but not when Tandem builds an app from elsewhere (`tandem build app/`, tests).
 * Undefined for any other version (v4 refuses to be a PostCSS plugin, with its own message).
 */
export async function tailwindV3Options(root: string, require: Require, given: unknown): Promise<Record<string, unknown> | undefined> {
  const version = (require("tailwindcss/package.json") as { version: string }).version;
  if (!version.startsWith("3.")) return undefined;
  const options = (given ?? {}) as { config?: unknown };
  if (options.config !== undefined && typeof options.config === "object" && options.config !== null) {
    const config = options.config as { content?: unknown };
    return { config: { ...config, content: absoluteContent(config.content, root, root) } };
  }
  const file =
    typeof options.config === "string"
      ? resolve(root, options.config)
      : CONFIG_FILES.map((name) => join(root, name)).find((path) => existsSync(path));
  if (file === undefined) return undefined;
  // Tailwind's own loader: it reads ESM, CommonJS and TypeScript configs as `tailwind` does.
  const loadConfig = require("tailwindcss/loadConfig") as
    | ((path: string) => { content?: unknown })
    | { default: (path: string) => { content?: unknown } };
  const config = (typeof loadConfig === "function" ? loadConfig : loadConfig.default)(file);
  return { config: { ...config, content: absoluteContent(config.content, root, dirname(file)) } };
}
