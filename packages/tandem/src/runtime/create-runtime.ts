import { createApp, type AppOptions, type Mount, type TandemApp } from "../app/create-app.js";
import { toManifest, type ServerBuild } from "../app/server-build.js";
import { validateConfig, type TandemConfig } from "../config.js";
import type { ServeOptions } from "../server/types.js";

export type Role = "all" | "web" | "worker";

export interface RuntimeOptions {
  root: string;
  build: ServerBuild;
  dev: boolean;
  role?: Role;
}

/** Everything a process runs for one app: the fetch handler plus the features around it. */
export interface Runtime {
  app: TandemApp;
  config: TandemConfig;
  /** Fields for serve(): upgrade handling and shutdown hooks of the features. */
  serve: Pick<ServeOptions, "onUpgrade" | "onShutdown">;
  close(): Promise<void>;
}

/**
 * The one place where features meet: dev and start both build their process from here, so what
 * is tested through `tandem dev` is what `tandem start` serves.
 */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const config = validateConfig(options.build.config ?? {});
  const mounts: Mount[] = [];
  const onShutdown: Array<() => Promise<void>> = [];
  const appOptions: AppOptions = { dev: options.dev, mounts };
  const app = createApp(toManifest(options.build, options.root), appOptions);
  return {
    app,
    config,
    serve: { onShutdown },
    async close() {
      for (const hook of onShutdown) await hook();
    },
  };
}
