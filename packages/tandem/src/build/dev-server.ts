import { createServer, isRunnableDevEnvironment, type ViteDevServer } from "vite";
import type { ServerBuild } from "../app/server-build.js";
import { TandemError } from "../errors/http-error.js";
import { createRuntime, type Runtime } from "../runtime/create-runtime.js";
import type { ServeOptions } from "../server/types.js";
import { createServer as createNetServer } from "node:net";
import { HMR_PATH } from "../pages/vite.js";
import { SERVER_ENTRY_ID } from "./server-entry.js";

const RESOLVED_ENTRY_ID = `\0${SERVER_ENTRY_ID}`;
import { join } from "node:path";
import type { ScannedApp } from "../router/types.js";
import { writeRouteTypes } from "./typegen.js";
import { OUT_DIR, SERVER_ENV, createViteConfig, type ViteConfigOptions } from "./vite-config.js";

export interface DevServer {
  vite: ViteDevServer;
  /** The app as the current files define it; re-created when Vite re-evaluates the server entry. */
  runtime(): Promise<Runtime>;
  fetch(request: Request): Promise<Response>;
  /** Vite's client middlewares, for serve({ nodeMiddleware }). */
  nodeMiddleware: NonNullable<ServeOptions["nodeMiddleware"]>;
  /** For serve({ onUpgrade }): upgrades reach the current app's socket routes. */
  onUpgrade: NonNullable<ServeOptions["onUpgrade"]>;
  close(): Promise<void>;
}

/**
 * Vite in middleware mode: the server environment's module runner evaluates the server entry,
 * so an edited route file is re-imported on the next request with no restart.
 */
export async function createDevServer(options: {
  root: string;
  host?: string;
  extend?: Omit<ViteConfigOptions, "root" | "mode">;
}): Promise<DevServer> {
  // Dev always has the pages feature, so that the first page.tsx added to a running dev server
  // renders without a restart (the build adds it only for apps with pages). Pages need Vite's
  // client middlewares and HMR socket; its socket gets its own port and path so that WebSocket
  // upgrades on the app's port all reach the app's socket routes.
  const ws = { port: await freePort(), host: options.host ?? "localhost", path: HMR_PATH };
  // Route types stay current as route files come and go (the plugin scans on every entry load).
  const onScan = (app: ScannedApp): Promise<void> => writeRouteTypes(app, join(options.root, OUT_DIR, "types"));
  const structure = { version: 0 };
  const vite = await createServer({
    ...createViteConfig({ onScan, structure, ...options.extend, root: options.root, mode: "development", pages: true }),
    server: { middlewareMode: true, ws },
  });
  const env = vite.environments[SERVER_ENV];
  if (env === undefined || !isRunnableDevEnvironment(env)) {
    throw new TandemError("TND_ERR_INVALID_CONFIG", `the Vite environment "${SERVER_ENV}" is not runnable in this process`);
  }
  const { runner, moduleGraph } = env;
  let current: { build: ServerBuild; runtime: Promise<Runtime> } | undefined;

  async function runtime(): Promise<Runtime> {
    let build = (await runner.import(SERVER_ENTRY_ID)) as ServerBuild & { structure?: number };
    // A route file added or removed while the entry was generated: its scan may predate the
    // change, and the runner would keep that entry. Evaluate it again (bounded: files may keep coming).
    for (let retry = 0; build.structure !== structure.version && retry < 3; retry++) {
      const generated = moduleGraph.getModuleById(RESOLVED_ENTRY_ID);
      if (generated !== undefined) moduleGraph.invalidateModule(generated);
      const evaluated = runner.evaluatedModules.getModuleByUrl(SERVER_ENTRY_ID) ?? runner.evaluatedModules.getModuleById(RESOLVED_ENTRY_ID);
      if (evaluated !== undefined) runner.evaluatedModules.invalidateModule(evaluated);
      build = (await runner.import(SERVER_ENTRY_ID)) as ServerBuild & { structure?: number };
    }
    if (current === undefined) {
      current = { build, runtime: createRuntime({ root: options.root, build, dev: true }) };
    } else if (current.build !== build) {
      current.build = build;
      (await current.runtime).update(build);
    }
    return current.runtime;
  }

  return {
    vite,
    runtime,
    nodeMiddleware: (req, res, next) => vite.middlewares(req, res, next),
    async fetch(request) {
      let rt: Runtime;
      try {
        rt = await runtime();
      } catch (error) {
        // A syntax error in a route file: show it (with Vite's file:line) instead of dying.
        const err = error as Error;
        vite.config.logger.error(err.stack ?? String(err));
        return new Response(`Build error\n\n${err.stack ?? err.message}`, {
          status: 500,
          headers: { "content-type": "text/plain; charset=utf-8" },
        });
      }
      try {
        return await rt.fetch(request);
      } catch (error) {
        // The runtime's fetch leaves a handler's rejection to the app's own error mapping.
        return rt.serve.recover(error, request);
      }
    },
    onUpgrade(req, socket, head) {
      runtime().then(
        (rt) => rt.serve.onUpgrade?.(req, socket, head),
        () => socket.destroy(),
      );
    },
    async close() {
      if (current !== undefined) await (await current.runtime).close();
      await vite.close();
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer().listen(0, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.once("error", reject);
  });
}
