import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { TandemError } from "../errors/http-error.js";
import type { AppOptions } from "./create-app.js";
import type { AppManifest, ManifestRoute, MiddlewareModule } from "./types.js";
import type { ConfigRouting } from "./config-routes/types.js";
import { provideWebGlobals } from "./web-globals.js";

/** What the generated server entry (virtual:tandem/server-entry) exports, in dev and in a build. */
export interface ServerBuild {
  routes: ManifestRoute[];
  middleware: (() => MiddlewareModule) | undefined;
  config: Record<string, unknown>;
  /** The app's next.config as the build read it (routing keys and warnings); absent without one. */
  nextConfig?: ConfigRouting;
  jobs: Record<string, unknown>;
  /** Present when the app has pages (the bundled pages runtime). */
  renderPage?: NonNullable<AppOptions["renderPage"]>;
  renderNotFoundPage?: (
    request: Request,
    manifest: AppManifest,
    options?: { dev?: boolean; logger?: Pick<Console, "error"> },
  ) => Promise<Response>;
  runWithRequestContext?: NonNullable<AppOptions["around"]>;
  /** false: no code of the app reaches its runtime's scope, so requests skip entering it (build/app-scope.ts). */
  appScope?: boolean;
}

export const BUILD_DIR = ".tandem";

export function serverEntryPath(root: string): string {
  return join(root, BUILD_DIR, "server", "index.js");
}

/** Loads a production build. Only Node's import: no Vite at request time. */
export async function loadServerBuild(root: string): Promise<ServerBuild> {
  const entry = serverEntryPath(root);
  if (!existsSync(entry)) {
    throw new TandemError("TND_ERR_NO_BUILD", `No build found at ${entry}. Run \`tandem build\` first.`);
  }
  // WebSocket and URLPattern on Node 20, before the app's top-level code runs (decision 0011).
  provideWebGlobals();
  return (await import(pathToFileURL(entry).href)) as ServerBuild;
}

export function toManifest(build: ServerBuild, root: string): AppManifest {
  const manifest: AppManifest = { routes: build.routes };
  if (build.middleware !== undefined) manifest.middleware = build.middleware;
  const publicDir = join(root, "public");
  if (existsSync(publicDir)) manifest.publicDir = publicDir;
  const clientDir = join(root, BUILD_DIR, "client");
  if (build.renderPage !== undefined && existsSync(clientDir)) manifest.assetsDir = clientDir;
  return manifest;
}
