import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { tailwindV3Options } from "./tailwind-v3.js";
import { pathToFileURL } from "node:url";
import type { Plugin } from "vite";
import { TandemError } from "../errors/tandem-error.js";

const CONFIG_FILES = ["postcss.config.mjs", "postcss.config.js", "postcss.config.cjs"];

type PluginSpec = unknown;

// Tailwind finds the classes in the files under its `base`, by default the working directory:
// the app's folder under `tandem build`, not when the build runs elsewhere (`tandem build app/`,
// tandem/testing). Next.js runs from the app's folder.
const DEFAULT_OPTIONS: Record<string, (root: string) => Record<string, unknown>> = {
  "@tailwindcss/postcss": (root) => ({ base: root }),
};

async function loadPlugin(root: string, name: string, given: unknown): Promise<PluginSpec> {
  const require = createRequire(join(root, "package.json"));
  let file: string;
  try {
    file = require.resolve(name);
  } catch (cause) {
    throw new TandemError(
      "TND_ERR_MISSING_PACKAGE",
      `postcss.config names the plugin "${name}", which is not installed in ${root}: run npm install -D ${name}`,
      { cause },
    );
  }
  const options =
    name === "tailwindcss"
      ? ((await tailwindV3Options(root, require, given)) ?? given)
      : { ...DEFAULT_OPTIONS[name]?.(root), ...(given as Record<string, unknown> | undefined) };
  const loaded = (await import(pathToFileURL(file).href)) as { default?: unknown };
  const creator = loaded.default ?? loaded;
  return typeof creator === "function" ? (creator as (options: unknown) => PluginSpec)(options) : creator;
}

/** Next.js's forms: `["name", ["name", options], plugin]` or `{ name: options | false }`. */
async function toPlugins(root: string, plugins: unknown): Promise<PluginSpec[]> {
  if (Array.isArray(plugins)) {
    return Promise.all(
      plugins.map((item: unknown) => {
        if (typeof item === "string") return loadPlugin(root, item, undefined);
        if (Array.isArray(item) && typeof item[0] === "string") return loadPlugin(root, item[0], item[1]);
        return item;
      }),
    );
  }
  if (plugins !== null && typeof plugins === "object") {
    const entries = Object.entries(plugins as Record<string, unknown>).filter(([, options]) => options !== false);
    return Promise.all(entries.map(([name, options]) => loadPlugin(root, name, options)));
  }
  return [];
}

/**
 * The app's postcss.config as Next.js reads it: plugins named by string (`["@tailwindcss/postcss"]`
 * or `{ "@tailwindcss/postcss": {} }`), resolved from the app. Vite's own loader only takes plugin
 * objects in an array, and rejected the config every create-next-app project has. A config that
 * exports a function is left to Vite.
 */
export function postcssConfig(root: string): Plugin {
  return {
    name: "tandem:postcss-config",
    async config() {
      const file = CONFIG_FILES.map((name) => join(root, name)).find((path) => existsSync(path));
      if (file === undefined) return undefined;
      const loaded = (await import(pathToFileURL(file).href)) as { default?: unknown };
      const config = (loaded.default ?? loaded) as { plugins?: unknown } | (() => unknown);
      if (typeof config === "function" || config === null || typeof config !== "object") return undefined;
      // The server environments see the CSS that Server Components import; left external there (as
      // an installed package is), `@import "tailwindcss"` resolved to nothing and failed with ENOENT.
      const server = { resolve: { noExternal: ["tailwindcss"] } };
      return {
        css: { postcss: { plugins: (await toPlugins(root, config.plugins)) as never } },
        environments: { rsc: server, ssr: server },
      };
    },
  };
}
