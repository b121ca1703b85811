import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createBuilder, createServer, preview, type InlineConfig, type ViteDevServer } from "vite";
import { tandemPages } from "../../src/pages/vite.js";
import type { ActionOptions } from "../../src/pages/types.js";

export const SITE = fileURLToPath(new URL("./fixtures/site/", import.meta.url));

export interface Site {
  url: string;
  close(): Promise<void>;
}

// Inside the package, so the built server bundle resolves its externals from node_modules.
async function outFolder(): Promise<string> {
  const parent = join(SITE, ".out");
  await mkdir(parent, { recursive: true });
  return mkdtemp(join(parent, "build-"));
}

function config(outDir: string, mode: "production" | "development", actions?: ActionOptions, root = SITE): InlineConfig {
  return {
    root,
    mode,
    configFile: false,
    envDir: false,
    logLevel: "warn",
    clearScreen: false,
    cacheDir: join(outDir, "vite-cache"),
    plugins: tandemPages({
      rscEntry: "./server.ts",
      serverHandler: true,
      outDir: { ssr: join(outDir, "ssr"), client: join(outDir, "client") },
      ...(actions === undefined ? {} : { actions }),
    }),
    build: { emptyOutDir: true },
    environments: { rsc: { build: { outDir: join(outDir, "rsc") } } },
    server: { host: "127.0.0.1", port: 0 },
    preview: { host: "127.0.0.1", port: 0 },
  };
}

/** `vite build` of the fixture site (rsc, ssr, client) into a temp folder, then `vite preview` of it. */
export async function buildAndServe(actions?: ActionOptions): Promise<Site> {
  const outDir = await outFolder();
  const cfg = config(outDir, "production", actions);
  const builder = await createBuilder(cfg);
  await builder.buildApp();
  const server = await preview(cfg);
  const url = server.resolvedUrls?.local[0]?.replace(/\/$/, "") ?? "";
  return {
    url,
    async close() {
      await server.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

/** A copy of the fixture site beside it (relative imports of the package source still resolve). */
export async function copySite(): Promise<string> {
  const root = await mkdtemp(join(SITE, "..", ".dev-"));
  await cp(SITE, root, { recursive: true, filter: (src) => !src.includes("/.out") });
  return root;
}

export interface DevSite extends Site {
  root: string;
  server: ViteDevServer;
}

/**
 * `vite dev` of a copy of the fixture site (so tests may edit files), placed beside the original
 * so its relative imports of the package source still resolve.
 */
export async function serveDevCopy(): Promise<DevSite> {
  const root = await copySite();
  const server = await createServer(config(join(root, ".out"), "development", undefined, root));
  await server.listen();
  const url = server.resolvedUrls?.local[0]?.replace(/\/$/, "") ?? "";
  return {
    url,
    root,
    server,
    async close() {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
