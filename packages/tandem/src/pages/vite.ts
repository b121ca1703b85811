import react from "@vitejs/plugin-react";
import rsc from "@vitejs/plugin-rsc";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Plugin, PluginOption } from "vite";
import type { ActionOptions } from "./types.js";

export const PAGES_RUNTIME_ID = "virtual:tandem/pages-runtime";
const RESOLVED_RUNTIME_ID = "\0" + PAGES_RUNTIME_ID;
/** Vite's HMR socket answers only here, so WebSocket upgrades to app routes reach the app. */
export const HMR_PATH = "/__tandem/hmr";
/** Packages the pages runtime (render, cookies, ssr entry) imports; see `noExternal` below. */
const RUNTIME_DEPENDENCIES = ["cookie"];

// Running from src/ (tests, tsx) the pages files are .ts/.tsx; from dist/ they are .js. Paths
// start at the package's own folder, not at this file, which a bundled dist/ moves elsewhere.
const fromSource = import.meta.url.endsWith(".ts");
const PAGES_DIR = join(packageRoot(dirname(fileURLToPath(import.meta.url))), fromSource ? "src" : "dist", "pages");
function sibling(name: string, sourceExt = "tsx"): string {
  return join(PAGES_DIR, `${name}.${fromSource ? sourceExt : "js"}`);
}

/** A file of the pages feature that each app's Vite build reads (a browser entry, next/link). */
export function pagesEntryFile(name: string): string {
  return sibling(name, existsSync(join(PAGES_DIR, `${name}.tsx`)) ? "tsx" : "ts");
}

function packageRoot(dir: string): string {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, "package.json"))) return at;
    if (dirname(at) === at) throw new Error(`tandem: no package.json above ${dir}`);
  }
}

export interface TandemPagesOptions {
  /** The rsc environment's entry. Default: the app's server entry (virtual:tandem/server-entry). */
  rscEntry?: string;
  /** Let plugin-rsc serve `default.fetch` of the rsc entry in `vite dev`/`vite preview` (tests, demos). Default false. */
  serverHandler?: boolean;
  /** Output folders, relative to the root. Defaults: .tandem/ssr and .tandem/client. */
  outDir?: { ssr?: string; client?: string };
  actions?: ActionOptions;
  /** tandem.config.ts: its allowedOrigins, server.bodyLimit and actions.allowMissingOrigin apply to actions (explicit `actions` wins). */
  configFile?: string;
}

/**
 * The pages feature on Vite: plugin-rsc (rsc/ssr/client environments, "use client"/"use server"),
 * React Fast Refresh, Tandem's ssr and browser entries, and `virtual:tandem/pages-runtime`, the
 * module the server entry imports `renderPage` from (it must be bundled: it uses plugin-rsc's
 * virtual modules).
 */
export function tandemPages(options: TandemPagesOptions = {}): PluginOption[] {
  // Vite pre-bundles the server environments' dependencies with process.env.NODE_ENV left as it
  // is (they keep process.env), so React's packages came out with both their production and
  // development builds, and the module runner parsed and transformed both on every clean start.
  // The dev server's NODE_ENV is known when it starts (and is part of the cache's hash).
  const serverDepsOptions = {
    rolldownOptions: { transform: { define: { "process.env.NODE_ENV": JSON.stringify(process.env.NODE_ENV ?? "development") } } },
  };
  const runtime: Plugin = {
    name: "tandem:pages",
    config(user) {
      return {
        ...(user.server?.ws === false ? {} : { server: { ws: { path: HMR_PATH } } }),
        // One React per bundle: the app's page files resolve react from the app, plugin-rsc and
        // Tandem's entries from their own folders, and two copies break hooks (and ship twice).
        resolve: { dedupe: ["react", "react-dom"] },
        environments: {
          // Tandem's runtime is bundled into the app, but an external bare import in it would be
          // resolved from the app's .tandem/ folder at run time, which may find the app's own
          // (other) version of the package. Bundled, they resolve from Tandem's files at build time.
          rsc: { resolve: { noExternal: RUNTIME_DEPENDENCIES }, optimizeDeps: serverDepsOptions },
          // Client Components import tandem/realtime/client, whose hooks must use the React bundled
          // here: left external (as an installed package is by default) it loads node_modules' react,
          // a second copy, and every server render of a hook fails (seen only outside the workspace).
          // `.js` whatever the app's package.json says: Vite names ESM output `.mjs` in an app without
          // "type": "module" (most Next.js apps), and the server entry imports the ssr entry as `index.js`.
          ssr: {
            resolve: { noExternal: [...RUNTIME_DEPENDENCIES, "tandem"] },
            // The ssr entry renders with react-dom/server.node, which plugin-rsc does not
            // pre-bundle (it lists server.edge), and server environments discover no dependency
            // at run time: dev sent React's CommonJS renderers through the module runner's
            // transforms file by file on every clean start.
            optimizeDeps: { ...serverDepsOptions, include: ["react-dom/server.node"] },
            build: {
              outDir: options.outDir?.ssr ?? ".tandem/ssr",
              // For the server's stack traces (tandem start maps them); the client build has none.
              sourcemap: true,
              rollupOptions: { output: { entryFileNames: "[name].js", chunkFileNames: "chunks/[name]-[hash].js" } },
            },
          },
          client: { build: { outDir: options.outDir?.client ?? ".tandem/client" } },
        },
      };
    },
    // After plugin-rsc built rsc, ssr and client: prerender force-static pages from the real bundle.
    buildApp: {
      order: "post",
      async handler(builder) {
        const rsc = builder.environments.rsc;
        if (rsc === undefined) return;
        const outDir = resolve(builder.config.root, rsc.config.build.outDir);
        const entryFile = join(outDir, "index.js");
        if (!existsSync(entryFile)) return;
        const entry = (await import(pathToFileURL(entryFile).href)) as Record<string, unknown>;
        if (!Array.isArray(entry.routes) || typeof entry.renderPage !== "function") return;
        const { prerender } = await import("./static.js");
        const paths = await prerender(entry.routes, entry.renderPage as Parameters<typeof prerender>[1], join(outDir, "..", "static"));
        if (paths.length > 0) builder.config.logger.info(`tandem: prerendered ${paths.length} static page(s): ${paths.join(", ")}`);
      },
    },
    resolveId(id) {
      return id === PAGES_RUNTIME_ID ? RESOLVED_RUNTIME_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_RUNTIME_ID) return undefined;
      const render = JSON.stringify(sibling("render"));
      const context = JSON.stringify(sibling("request-context", "ts"));
      const metadataRoutes = JSON.stringify(sibling("metadata-routes", "ts"));
      const config =
        options.configFile === undefined
          ? []
          : [
              `import __tandemConfig from ${JSON.stringify(options.configFile)};`,
              `const __fromConfig = { ...(__tandemConfig?.allowedOrigins ? { allowedOrigins: __tandemConfig.allowedOrigins } : {}), ...(__tandemConfig?.server?.bodyLimit ? { bodyLimit: __tandemConfig.server.bodyLimit } : {}), ...(__tandemConfig?.actions?.allowMissingOrigin === true ? { allowMissingOrigin: true } : {}) };`,
            ];
      const actions =
        options.configFile === undefined
          ? JSON.stringify(options.actions ?? {})
          : `{ ...__fromConfig, ...${JSON.stringify(options.actions ?? {})} }`;
      return [
        ...config,
        `import { createPageRenderer, renderNotFoundPage } from ${render};`,
        `export { renderNotFoundPage };`,
        `export { runWithRequestContext, cookies, headers, currentRequest } from ${context};`,
        `export { metadataRoute } from ${metadataRoutes};`,
        `export const renderPage = createPageRenderer({ actions: ${actions} });`,
      ].join("\n");
    },
  };
  return [
    rsc({
      entries: {
        rsc: options.rscEntry ?? "virtual:tandem/server-entry",
        ssr: sibling("entries/ssr"),
        client: sibling("entries/browser"),
      },
      ...(options.serverHandler === true ? {} : { serverHandler: false }),
    }),
    react(),
    runtime,
  ];
}
