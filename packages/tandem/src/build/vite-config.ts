import { join } from "node:path";
import type { InlineConfig, PluginOption } from "vite";
import { tandemPages } from "../pages/vite.js";
import { nextImports } from "./next-imports.js";
import { tandemFonts } from "../font/vite.js";
import { postcssConfig } from "./postcss-config.js";
import { sassCheck } from "./sass.js";
import { tandemPlugin, type TandemPluginOptions } from "./vite-plugin.js";
import { checksPlugin } from "./check-modules.js";
import { jsxInJs } from "./jsx-in-js.js";
import { findConfigFile, SERVER_ENTRY_ID } from "./server-entry.js";
import { findInstrumentationFile } from "../runtime/instrumentation.js";
import type { LoadedNextConfig } from "./next-config.js";
import { toClientImageConfig, toImageConfig } from "../image/config.js";
import { staticImageImports } from "../image/static-imports.js";
import { devEnvironments } from "./dev-environments.js";

export const OUT_DIR = ".tandem";
/** The server environment's name is plugin-rsc's, so route handlers and Server Components share it. */
export const SERVER_ENV = "rsc";

export interface ViteConfigOptions extends Omit<TandemPluginOptions, "root"> {
  root: string;
  mode: "development" | "production";
  /** The app has pages (or sitemap/robots): add plugin-rsc and the ssr/client environments. */
  pages?: boolean;
  /** More plugins. */
  plugins?: PluginOption[];
  /** The app's next.config, read before Vite starts (build/next-config.ts). */
  nextConfig?: LoadedNextConfig | undefined;
}

/**
 * `PUBLIC_*` and `NEXT_PUBLIC_*` variables, inlined where the code reads them (as Next.js does,
 * at build time): `process.env.NAME` and `import.meta.env.NAME`. No other variable reaches a
 * bundle, so a secret in the environment never ships to browsers.
 */
export function publicEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const define: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !/^(?:NEXT_)?PUBLIC_[A-Za-z0-9_]+$/.test(name)) continue;
    const literal = JSON.stringify(value);
    define[`process.env.${name}`] = literal;
    define[`import.meta.env.${name}`] = literal;
  }
  return define;
}

/** next.config `env`: inlined where server and client code read `process.env.NAME`, as Next.js does. */
function nextEnv(env: Record<string, string>): Record<string, string> {
  const define: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) define[`process.env.${name}`] = JSON.stringify(value);
  return define;
}

/**
 * One Vite config for the whole app. Tandem itself stays external: the bundle must share the
 * CLI's copy of `tandem/*` so that module-level state (middleware signals, pub/sub, jobs) is one.
 */
export function createViteConfig(options: ViteConfigOptions): InlineConfig {
  const { root, mode } = options;
  const pluginOptions: TandemPluginOptions = { root };
  if (options.onScan) pluginOptions.onScan = options.onScan;
  if (options.onPageAdded) pluginOptions.onPageAdded = options.onPageAdded;
  const next = options.nextConfig;
  if (next !== undefined) pluginOptions.routing = next.routing;
  const external = next?.serverExternalPackages ?? [];
  const basePath = next?.routing.basePath ?? "";
  const configFile = findConfigFile(root);
  const instrumentation = findInstrumentationFile(root);
  const pages = options.pages === true ? tandemPages({ rscEntry: SERVER_ENTRY_ID, ...(configFile ? { configFile } : {}) }) : [];
  return {
    root,
    mode,
    configFile: false,
    envDir: false,
    // Vite's dependency cache per app, beside its build: the default (node_modules/.vite of the
    // nearest package.json) is shared by every app below one package, and two dev servers
    // re-optimizing one cache break each other's pages. Below a node_modules folder, as Vite's own
    // default is: plugins (Tandem's, plugin-react's Fast Refresh, Vite's source map ignore list)
    // tell packages from app code by that path segment, and with the cache at .tandem/vite they
    // compiled the pre-bundled React (megabytes) as if it were the app's own JSX on every start.
    cacheDir: join(root, OUT_DIR, "node_modules", ".vite"),
    // public/ is served by the app itself (listed, never joined), in dev and production alike.
    publicDir: false,
    logLevel: mode === "production" ? "warn" : "info",
    clearScreen: false,
    appType: "custom",
    // Client assets live under basePath, as next build puts them.
    ...(basePath === "" ? {} : { base: `${basePath}/` }),
    define: {
      ...publicEnv(process.env),
      ...nextEnv(next?.env ?? {}),
      // next/link writes "/a/" for href="/a" under next.config's trailingSlash, as Next.js does.
      ...(next?.routing.trailingSlash === true ? { "import.meta.env.TANDEM_TRAILING_SLASH": "true" } : {}),
      // next/image writes srcset from next.config `images` (checked when next.config was loaded).
      "import.meta.env.TANDEM_IMAGES": JSON.stringify(
        toClientImageConfig(toImageConfig(next?.routing.images, (message) => new Error(message))),
      ),
    },
    build: {
      rollupOptions: {
        // plugin-rsc's virtual modules carry no source maps, and it imports action modules dynamically
        // that pages also import statically: neither warning says anything a user can act on.
        onwarn(warning, warn) {
          if (warning.code !== "SOURCEMAP_BROKEN" && warning.code !== "INEFFECTIVE_DYNAMIC_IMPORT") warn(warning);
        },
      },
    },
    plugins: [
      // First: every other plugin, the checks included, then reads JavaScript without JSX.
      jsxInJs(root),
      checksPlugin(root),
      tandemPlugin(pluginOptions),
      // Before nextImports: it compiles next/font/* calls away, and nextImports stops at any next/* left.
      tandemFonts(),
      nextImports(root, external),
      ...(next?.routing.images?.disableStaticImages === true ? [] : [staticImageImports()]),
      postcssConfig(root),
      sassCheck(root),
      ...pages,
      // How dev's server environments load modules (decision 0015); `apply: "serve"` keeps it out of builds.
      devEnvironments(),
      ...(options.plugins ?? []),
    ],
    environments: {
      [SERVER_ENV]: {
        consumer: "server",
        resolve: { external: ["tandem", ...external] },
        build: {
          outDir: join(root, OUT_DIR, "server"),
          emptyOutDir: true,
          target: "node20",
          minify: false,
          sourcemap: true,
          rollupOptions: {
            // The app's instrumentation.ts, compiled on its own: `tandem start` runs it before the entry.
            input: instrumentation === undefined ? { index: SERVER_ENTRY_ID } : { index: SERVER_ENTRY_ID, instrumentation },
            output: { entryFileNames: "[name].js", chunkFileNames: "chunks/[name]-[hash].js" },
          },
        },
      },
    },
    builder: {
      // Without pages there is no client to build. With pages, plugin-rsc's own buildApp hook has
      // built rsc, ssr and client in its order already.
      async buildApp(builder) {
        for (const env of Object.values(builder.environments)) {
          if (env.isBuilt) continue;
          if (env.name === SERVER_ENV || options.pages === true) await builder.build(env);
        }
      },
    },
  };
}
