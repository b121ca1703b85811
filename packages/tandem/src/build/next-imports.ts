import { init, parse } from "es-module-lexer";
import MagicString from "magic-string";
import { fileURLToPath } from "node:url";
import type { UserConfig, Plugin } from "vite";
import { pagesEntryFile } from "../pages/vite.js";
import { packagesImportingNext } from "./next-packages.js";
import { TandemError } from "../errors/tandem-error.js";

/** One `next/*` module Tandem implements. */
export interface NextModule {
  /** The `tandem/*` export that implements it: external in the server environment, one copy. */
  target: string;
  /**
   * A pages entry file that Vite builds instead, in every environment ("all": Client Components,
   * which the server environment must see to make client references) or in the SSR and browser
   * environments only ("browser": the hooks must share the page tree's providers).
   */
  file?: { name: string; in: "all" | "browser" };
  /** The value exports (a test holds these to the modules' real exports). */
  exports: readonly string[];
}

/** The `next/*` modules Tandem implements, and the `tandem/*` entry that does. */
export const NEXT_MODULES: Readonly<Record<string, NextModule>> = {
  "next/server": {
    target: "tandem/next-server",
    exports: [
      "NextRequest",
      "NextResponse",
      "NextURL",
      "RequestCookies",
      "ResponseCookies",
      "NextFetchEvent",
      "userAgent",
      "userAgentFromString",
      "URLPattern",
      "after",
      "ImageResponse",
    ],
  },
  "next/og": { target: "tandem/next-og", exports: ["ImageResponse"] },
  "next/headers": { target: "tandem/next-headers", exports: ["cookies", "headers", "draftMode"] },
  "next/navigation": {
    target: "tandem/next-navigation",
    file: { name: "entries/next-navigation", in: "browser" },
    exports: [
      "redirect",
      "permanentRedirect",
      "notFound",
      "forbidden",
      "unauthorized",
      "RedirectType",
      "unstable_rethrow",
      "ReadonlyURLSearchParams",
      "useRouter",
      "usePathname",
      "useSearchParams",
      "useParams",
      "useSelectedLayoutSegment",
      "useSelectedLayoutSegments",
    ],
  },
  "next/link": { target: "tandem/next-link", file: { name: "entries/link", in: "all" }, exports: ["default"] },
  "next/script": { target: "tandem/next-script", file: { name: "entries/script", in: "all" }, exports: ["default"] },
  "next/cache": {
    target: "tandem/next-cache",
    exports: [
      "unstable_cache",
      "revalidatePath",
      "revalidateTag",
      "updateTag",
      "refresh",
      "unstable_noStore",
      "cacheLife",
      "cacheTag",
      "unstable_cacheLife",
      "unstable_cacheTag",
    ],
  },
  "next/dynamic": { target: "tandem/next-dynamic", exports: ["default"] },
  "next/image": { target: "tandem/next-image", file: { name: "../image/next-image", in: "all" }, exports: ["default", "getImageProps"] },
};

const SERVER_ENV = "rsc";

/** What an import of `specifier` becomes in `environment`, or undefined when it is not next's. */
function rewriteOf(specifier: string, environment: string | undefined): string | undefined {
  const module = NEXT_MODULES[specifier];
  if (module === undefined) return undefined;
  const file = module.file;
  if (file !== undefined && (file.in === "all" || environment !== SERVER_ENV)) return pagesEntryFile(file.name);
  return module.target;
}

function isNext(specifier: string): boolean {
  return specifier === "next" || specifier.startsWith("next/");
}

function unsupported(what: string, importer: string): TandemError {
  return new TandemError(
    "TND_ERR_NEXT_UNSUPPORTED",
    `${importer} imports ${what}, which Tandem does not provide. docs/migrating-from-next.md lists the next/* modules and exports Tandem has`,
  );
}

/** The names an `import { a, b as c } from` or `export { a } from` statement takes, and whether it takes the default. */
function importedNames(statement: string): string[] {
  const names: string[] = [];
  const braces = /\{([^}]*)\}/.exec(statement);
  if (braces !== null) {
    for (const part of braces[1]!.split(",")) {
      const name = part
        .trim()
        .split(/\s+as\s+/)[0]!
        .trim();
      if (name !== "" && !name.startsWith("type ")) names.push(name);
    }
  }
  // `import Foo from`, `import Foo, { a } from`, `export { default } from` (the latter is in braces).
  if (/^import\s+[\w$]+\s*(,|from\b)/.test(statement)) names.push("default");
  return names;
}

/**
 * Next.js code ports over unchanged: an import of a `next/*` module becomes an import of Tandem's
 * module in the code itself. Server modules become `tandem/next-*`, which the server environment
 * keeps external like every `tandem/*` import, so dev's module runner and the production bundle
 * load the one copy of Tandem that Node has. An alias would not do: Vite never externalizes an
 * aliased import, so dev would evaluate a second copy of Tandem's core (issue 15). Client
 * Components (next/link, next/script) and the navigation hooks become the pages entry files, which
 * Vite builds like Tandem's own browser entry. Any other `next` import, or an export Tandem does
 * not have, stops the build with TND_ERR_NEXT_UNSUPPORTED: a silent gap would be found only by users.
 */
export function nextImports(root?: string, external: readonly string[] = []): Plugin {
  return {
    name: "tandem:next-imports",
    config(): UserConfig | undefined {
      // Installed packages are external on the server by default (Node loads them), and Node would
      // look for a real `next` from them. Those that use next bring their imports through Vite.
      // next.config's serverExternalPackages stay with Node, whatever they depend on.
      const packages = root === undefined ? [] : packagesImportingNext(root).filter((name) => !external.includes(name));
      if (packages.length === 0 && external.length === 0) return undefined;
      if (packages.length === 0) return { environments: { ssr: { resolve: { external: [...external] } } } };
      return {
        optimizeDeps: { exclude: packages },
        environments: {
          [SERVER_ENV]: { resolve: { noExternal: packages } },
          ssr: {
            resolve: { noExternal: packages, ...(external.length > 0 ? { external: [...external] } : {}) },
            optimizeDeps: { exclude: packages },
          },
          client: { optimizeDeps: { exclude: packages } },
        },
      };
    },
    // A normal-order plugin runs after Vite's TypeScript and JSX transform: the lexer reads JavaScript.
    async transform(code, id) {
      if (!code.includes("next") || id.startsWith("\0")) return undefined;
      await init;
      let imports: ReturnType<typeof parse>[0];
      try {
        [imports] = parse(code, id);
      } catch {
        return undefined; // Not JavaScript (a CSS or JSON module): nothing to rewrite.
      }
      let out: MagicString | undefined;
      const importer = id.split("?")[0]!;
      for (const entry of imports) {
        if (entry.type !== "static" && entry.type !== "reexport-star" && entry.type !== "dynamic") continue;
        if (entry.type === "static" && entry.typeOnly) continue;
        const specifier = entry.specifier;
        if (specifier === undefined || !isNext(specifier)) continue;
        const module = NEXT_MODULES[specifier];
        if (module === undefined) throw unsupported(`"${specifier}"`, importer);
        // A static import or re-export: every name it takes must exist.
        if (entry.type === "static") {
          for (const name of importedNames(code.slice(entry.importStart, entry.start))) {
            if (!module.exports.includes(name)) {
              throw unsupported(`${name === "default" ? "the default export" : `{ ${name} }`} from "${specifier}"`, importer);
            }
          }
        }
        const target = rewriteOf(specifier, this.environment?.name)!;
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
      if (!isNext(id)) return undefined;
      const target = rewriteOf(id, this.environment?.name);
      if (target === undefined) throw unsupported(`"${id}"`, importer ?? "the app");
      return target.startsWith("/") ? target : this.resolve(target, importer, { ...options, skipSelf: true });
    },
  };
}

/** For tests: the file a `tandem/*` target resolves to from Tandem itself. */
export function resolveTarget(target: string): string {
  return fileURLToPath(import.meta.resolve(target));
}
