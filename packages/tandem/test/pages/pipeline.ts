// The pages feature inside Tandem's own pipeline: scanApp + the generated server entry
// (build/vite-plugin.ts with emitPageData), a production build, createApp and serve().
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createBuilder, type Plugin } from "vite";
import { createApp } from "../../src/app/create-app.js";
import type { AppManifest } from "../../src/app/types.js";
import { tandemPlugin } from "../../src/build/vite-plugin.js";
import { scanApp } from "../../src/router/scan.js";
import { serve } from "../../src/server/serve.js";
import { emitMetadataRoutes, emitPageData, PAGES_ENTRY_LINES } from "../../src/pages/codegen.js";
import { tandemPages } from "../../src/pages/vite.js";
import { SITE, type Site } from "./harness.js";

export const ENTRY = "virtual:test/app-entry";

/** What the generated server entry should add for pages (see PAGES_ENTRY_LINES). */
export function entryWithPages(root: string): Plugin {
  return {
    name: "test:app-entry",
    resolveId: (id) => (id === ENTRY ? "\0" + ENTRY : undefined),
    async load(id) {
      if (id !== "\0" + ENTRY) return undefined;
      const app = await scanApp(root);
      const imports: string[] = [];
      const importModule = (file: string): string => {
        imports.push(`import * as m${imports.length} from ${JSON.stringify(file)};`);
        return `m${imports.length - 1}`;
      };
      const extra = emitMetadataRoutes(app, importModule);
      return [
        ...imports,
        ...PAGES_ENTRY_LINES,
        `import { routes as scanned } from "virtual:tandem/server-entry";`,
        `export { middleware, config, jobs } from "virtual:tandem/server-entry";`,
        `export const routes = [...scanned, ${extra.join(", ")}];`,
      ].join("\n");
    },
  };
}

/** `vite build` of the fixture through Tandem's own server entry plugin, into `outDir`. */
export async function buildSiteApp(outDir: string): Promise<void> {
  const builder = await createBuilder({
    root: SITE,
    mode: "production",
    configFile: false,
    envDir: false,
    logLevel: "warn",
    cacheDir: join(outDir, "vite-cache"),
    plugins: [
      tandemPlugin({ root: SITE, pageData: emitPageData }),
      entryWithPages(SITE),
      tandemPages({ rscEntry: ENTRY, outDir: { ssr: join(outDir, "ssr"), client: join(outDir, "client") } }),
    ],
    build: { emptyOutDir: true },
    environments: { rsc: { build: { outDir: join(outDir, "server") } } },
  });
  await builder.buildApp();
}

/** What `tandem start` does with a build: createApp over the bundle's routes and renderPage, then serve(). */
export async function serveSiteApp(outDir: string, port = 0): Promise<{ url: string; close(): Promise<void> }> {
  const entry = await import(pathToFileURL(join(outDir, "server", "index.js")).href);
  const manifest: AppManifest = { routes: entry.routes, publicDir: join(outDir, "client") };
  const app = createApp(manifest, { renderPage: entry.renderPage, around: entry.runWithRequestContext });
  return serve({ fetch: (request) => app.fetch(request), port, host: "127.0.0.1", handleSignals: false });
}

export async function buildAndServeApp(): Promise<Site> {
  const parent = join(SITE, ".out");
  await mkdir(parent, { recursive: true });
  const outDir = await mkdtemp(join(parent, "app-"));
  await buildSiteApp(outDir);
  const server = await serveSiteApp(outDir);
  return {
    url: server.url,
    async close() {
      await server.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
