import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createBuilder } from "vite";
import { scanApp } from "../router/scan.js";
import type { ScannedApp } from "../router/types.js";
import { writeOpenApiDocument } from "../api/openapi-routes.js";
import { loadServerBuild, toManifest } from "../app/server-build.js";
import { precompressAssets } from "../compression/precompress.js";
import { validateConfig, type TandemConfig } from "../config.js";
import { BUILD_PHASE } from "../env/define-env.js";
import { hasPages } from "./server-entry.js";
import { loadNextConfig } from "./next-config.js";
import { checkSegmentConfig } from "../app/segment-config.js";
import { writeRouteTypes } from "./typegen.js";
import { OUT_DIR, createViteConfig, type ViteConfigOptions } from "./vite-config.js";

export interface BuildResult {
  outDir: string;
  app: ScannedApp;
  ms: number;
}

export interface BuildOptions {
  root: string;
  /** Feature hooks: the pages feature adds plugins, typegen hooks onScan. */
  extend?: Omit<ViteConfigOptions, "root" | "mode">;
}

/** `tandem build`: one Vite build of every environment, then a small manifest beside it. */
export async function buildApp(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const { root } = options;
  const app = await scanApp(root);
  const nextConfig = await loadNextConfig(root, "build");
  const builder = await createBuilder(createViteConfig({ ...options.extend, root, mode: "production", pages: hasPages(app), nextConfig }));
  const outDir = join(root, OUT_DIR);
  await mkdir(outDir, { recursive: true });
  // The output is ESM: an app whose package.json has no "type": "module" (most Next.js apps) would
  // otherwise have Node load .tandem/**/*.js as CommonJS (or re-parse each with a warning).
  await writeFile(join(outDir, "package.json"), '{ "type": "module" }\n');
  await builder.buildApp();
  const manifest = {
    version: 1,
    builtAt: new Date().toISOString(),
    routes: app.routes.map((r) => ({ pattern: r.pattern, route: !!r.route, page: !!r.page, socket: !!r.socket })),
  };
  await writeFile(join(outDir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  await writeRouteTypes(app, join(outDir, "types"));
  // The app's env is checked when it starts: a build machine rarely has the production secrets.
  const phase = process.env[BUILD_PHASE];
  process.env[BUILD_PHASE] = "build";
  let config: TandemConfig;
  try {
    const built = await loadServerBuild(root);
    config = validateConfig(built.config ?? {});
    // An invalid `export const dynamic` (or revalidate, maxDuration...) stops the build, as in Next.js.
    await checkSegmentConfig(built.routes, config.server?.handlerTimeout ?? 30_000);
    await writeBuiltOpenApi(root, join(outDir, "openapi.json"), config);
  } finally {
    if (phase === undefined) delete process.env[BUILD_PHASE];
    else process.env[BUILD_PHASE] = phase;
  }
  if (config.compression !== false) await precompressAssets(join(outDir, "client"), config.compression?.threshold ?? 1024);
  return { outDir, app, ms: performance.now() - started };
}

/** .tandem/openapi.json from the built routes' schemas, for clients generated offline (unless openapi: false). */
async function writeBuiltOpenApi(root: string, file: string, config: TandemConfig): Promise<void> {
  const build = await loadServerBuild(root);
  const openapi = config.openapi;
  if (openapi === false) return;
  await writeOpenApiDocument(toManifest(build, root), file, { title: openapi?.title ?? "API", version: openapi?.version ?? "1.0.0" });
}
