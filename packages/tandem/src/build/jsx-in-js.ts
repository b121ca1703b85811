import { realpathSync } from "node:fs";
import { type Plugin, type ResolvedConfig, transformWithOxc } from "vite";

type JsxOptions = Exclude<NonNullable<Exclude<ResolvedConfig["oxc"], false>["jsx"]>, string>;

// Next.js parses every JavaScript file of the app (.js, .mjs, .cjs, .jsx) with JSX on; Vite reads
// JSX only in .jsx and .tsx. Without this, `app/page.js` written as in create-next-app's JavaScript
// template stops the build with "Unexpected JSX expression".
const JS_FILE = /\.[mc]?js$/;

/**
 * Compiles JSX in the app's own `.js`, `.mjs` and `.cjs` files (not in node_modules, as Next.js
 * leaves packages alone), before any other plugin reads them, with the JSX options Vite uses for
 * `.jsx`. Files without JSX come out as they went in, less their formatting.
 */
export function jsxInJs(root: string): Plugin {
  let jsx: JsxOptions = { runtime: "automatic" };
  let isProduction = true;
  // Vite names modules by their real path: an app reached through a symlink (/tmp on macOS is one)
  // has module ids below the target, not below the root as given.
  const roots = [...new Set([root, realpathSync(root)])].map((dir) => (dir.endsWith("/") ? dir : `${dir}/`));
  return {
    name: "tandem:jsx-in-js",
    enforce: "pre",
    configResolved(config) {
      isProduction = config.isProduction;
      const own = config.oxc === false ? undefined : config.oxc.jsx;
      if (typeof own === "object") jsx = own;
    },
    transform: {
      filter: { id: { include: JS_FILE, exclude: /\/node_modules\// }, code: "<" },
      async handler(code, id) {
        const file = id.split("?")[0]!;
        if (!JS_FILE.test(file) || !roots.some((dir) => file.startsWith(dir)) || file.includes("/node_modules/")) return undefined;
        const result = await transformWithOxc(code, file, {
          lang: "jsx",
          sourcemap: true,
          // Fast Refresh is added later by Vite's own pass, which sees the compiled JSX calls.
          jsx: { ...jsx, refresh: false, development: jsx.development ?? !isProduction },
        });
        return { code: result.code, map: result.map };
      },
    },
  };
}
