import { init, parse } from "es-module-lexer";
import MagicString from "magic-string";
import type { Plugin } from "vite";

/** The `next/*` modules Tandem implements, and the `tandem/*` entry that does. */
export const NEXT_MODULES: Readonly<Record<string, string>> = {
  "next/server": "tandem/next-server",
};

/**
 * Next.js code ports over unchanged: an import of `next/server` becomes an import of
 * `tandem/next-server` in the code itself, which the server environments keep external like
 * every `tandem/*` import. Dev's module runner and the production bundle then load the one copy
 * of Tandem that Node has. An alias would not do: Vite never externalizes an aliased import, so
 * dev would evaluate a second copy of Tandem's core (issue 15).
 */
export function nextImports(): Plugin {
  return {
    name: "tandem:next-imports",
    // A normal-order plugin runs after Vite's TypeScript and JSX transform: the lexer reads JavaScript.
    async transform(code, id) {
      if (!code.includes("next/") || id.startsWith("\0")) return undefined;
      await init;
      let imports: ReturnType<typeof parse>[0];
      try {
        [imports] = parse(code, id);
      } catch {
        return undefined; // Not JavaScript (a CSS or JSON module): nothing to rewrite.
      }
      let out: MagicString | undefined;
      for (const entry of imports) {
        const target = typeof entry.specifier === "string" ? NEXT_MODULES[entry.specifier] : undefined;
        if (target === undefined) continue;
        out ??= new MagicString(code);
        // A dynamic import's range includes the quotes; a static one's does not.
        out.overwrite(entry.start, entry.end, entry.type === "dynamic" ? JSON.stringify(target) : target);
      }
      if (out === undefined) return undefined;
      return { code: out.toString(), map: out.generateMap({ hires: "boundary", source: id, includeContent: true }) };
    },
    resolveId(id, importer, options) {
      // What the transform did not reach (an import Vite resolves before transforming, such as a
      // pre-bundled dependency's): the same module, resolved as the app would resolve it.
      const target = NEXT_MODULES[id];
      return target === undefined ? undefined : this.resolve(target, importer, { ...options, skipSelf: true });
    },
  };
}
