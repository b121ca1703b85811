import { createRequire } from "node:module";
import { join } from "node:path";
import type { Plugin } from "vite";
import { TandemError } from "../errors/tandem-error.js";

const SASS_FILE = /\.s[ac]ss(?:$|\?)/;

/** The Sass compiler the app installed (Vite takes sass-embedded first, then sass), or undefined. */
export function findSass(root: string): string | undefined {
  const require = createRequire(join(root, "package.json"));
  for (const name of ["sass-embedded", "sass"]) {
    try {
      require.resolve(name);
      return name;
    } catch {}
  }
  return undefined;
}

/**
 * `.scss` and `.sass` files are compiled by Vite with the Sass package the app installs, as
 * Next.js requires (`npm install -D sass`). Without one, Vite's own error named sass-embedded and
 * came from deep in the CSS pipeline; this stops at the first Sass file with the command.
 */
export function sassCheck(root: string): Plugin {
  let found = false;
  return {
    name: "tandem:sass-check",
    enforce: "pre",
    transform(_code, id) {
      if (found || !SASS_FILE.test(id)) return undefined;
      if (findSass(root) === undefined) {
        const file = id.split("?")[0] ?? id;
        throw new TandemError(
          "TND_ERR_MISSING_PACKAGE",
          `${file} is Sass, which needs the package sass (or sass-embedded), not installed in ${root}: run npm install -D sass`,
        );
      }
      found = true;
      return undefined;
    },
  };
}
