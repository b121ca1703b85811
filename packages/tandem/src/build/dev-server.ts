import { createServer, isRunnableDevEnvironment, type RunnableDevEnvironment, type ViteDevServer } from "vite";
import type { ServerBuild } from "../app/server-build.js";
import { TandemError } from "../errors/http-error.js";
import { createRuntime, type Runtime } from "../runtime/create-runtime.js";
import { loadInstrumentation } from "../runtime/instrumentation.js";
import type { ServeOptions } from "../server/types.js";
import { createServer as createHttpServer, STATUS_CODES, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { HMR_PATH, pagesEntryFile } from "../pages/vite.js";
import { findConfigFile, hasPages, SERVER_ENTRY_ID } from "./server-entry.js";
import { type TandemConfig, validateConfig } from "../config.js";
import { scanApp } from "../router/scan.js";
import { join } from "node:path";
import type { ScannedApp } from "../router/types.js";
import { writeRouteTypes } from "./typegen.js";
import { provideWebGlobals } from "../app/web-globals.js";
import { loadNextConfig, NEXT_CONFIG_NAMES, type LoadedNextConfig } from "./next-config.js";
import { OUT_DIR, SERVER_ENV, createViteConfig, type ViteConfigOptions } from "./vite-config.js";

export interface DevServer {
  vite: ViteDevServer;
  /** The app as the current files define it; re-created when Vite re-evaluates the server entry. */
  runtime(): Promise<Runtime>;
  fetch(request: Request): Promise<Response>;
  /**
   * tandem.config.ts, checked as `tandem start` checks it, loaded alone through Vite (not with
   * the whole app): what `tandem dev` needs before it listens (server limits, trustProxy, logging).
   */
  config(): Promise<TandemConfig>;
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
  const { root } = options;
  // Route types stay current as route files come and go (the plugin scans on every entry load).
  const onScan = (app: ScannedApp): Promise<void> => writeRouteTypes(app, join(root, OUT_DIR, "types"));
  // Pages (plugin-rsc, Vite's client middlewares and HMR socket) only for an app that has them, as
  // in the build: plugin-rsc's own reload of server modules loses route edits in an API app.
  let pages = hasPages(await scanApp(root));
  let nextConfig: LoadedNextConfig | undefined = await loadNextConfig(root, "dev");
  let vite!: ViteDevServer;
  let runner!: RunnableDevEnvironment["runner"];
  let restarting: Promise<void> | undefined;
  // Vite leaves open a server it was given (the HMR socket's): closed with that Vite.
  const hmrServers = new WeakMap<ViteDevServer, Server>();
  async function closeVite(closing: ViteDevServer): Promise<void> {
    await closing.close();
    const hmr = hmrServers.get(closing);
    if (hmr?.listening) await closeHmr(hmr);
  }

  async function start(): Promise<void> {
    // The HMR socket gets its own port and path, so that WebSocket upgrades on the app's port all
    // reach the app's socket routes. Its server is listening before Vite starts: a port probed free
    // and bound later by Vite could be taken in between, and the page's HMR socket never connected.
    const host = options.host ?? "localhost";
    const hmr = pages ? await listenForHmr(host) : undefined;
    const ws = hmr ? { server: hmr, port: (hmr.address() as AddressInfo).port, host, path: HMR_PATH } : false;
    const created = await createServer({
      ...createViteConfig({ onScan, onPageAdded, ...options.extend, root, mode: "development", pages, nextConfig }),
      // A save is often two writes (truncate, then content; or an editor's write, then its
      // formatter's), and the watcher throttles a file's change events for 50 ms without a
      // trailing one: the later write was never seen, and a fast edit loop lost about one save
      // in three. Waiting until the file's size holds still reports the last write, once.
      // No Vite CORS: its middleware sees every request, app routes included, and would give them
      // `Vary: Origin` and localhost CORS that `tandem start` does not send. A header set on the
      // Node response before the app's answer also made Node 20 keep one Set-Cookie of several.
      // Pages load their modules from the app's own origin, so nothing in dev needs it.
      server: { middlewareMode: true, cors: false, ws, watch: { awaitWriteFinish: { stabilityThreshold: 10, pollInterval: 5 } } },
    }).catch(async (error: unknown) => {
      if (hmr !== undefined) await closeHmr(hmr);
      throw error;
    });
    if (hmr !== undefined) hmrServers.set(created, hmr);
    const env = created.environments[SERVER_ENV];
    if (env === undefined || !isRunnableDevEnvironment(env)) {
      await closeVite(created);
      throw new TandemError("TND_ERR_INVALID_CONFIG", `the Vite environment "${SERVER_ENV}" is not runnable in this process`);
    }
    vite = created;
    runner = env.runner;
    // As next dev does: an edited next.config restarts the server with it (env and basePath are
    // part of Vite's own config, routing of the server entry).
    const configFiles = new Set(NEXT_CONFIG_NAMES.map((name) => join(root, name)));
    created.watcher.add([...configFiles]);
    for (const event of ["add", "change", "unlink"] as const) {
      created.watcher.on(event, (file: string) => {
        if (configFiles.has(file)) onNextConfigChanged();
      });
    }
  }

  function onNextConfigChanged(): void {
    if (restarting !== undefined) return;
    const previous = vite;
    restarting = loadNextConfig(root, "dev")
      .then(async (loaded) => {
        nextConfig = loaded;
        await start();
        await closeVite(previous);
        vite.config.logger.info("tandem dev: next.config changed, restarted with it");
        // The runtime reported the first config's keys when it started; these are the new file's.
        for (const line of loaded?.routing.warnings ?? []) vite.config.logger.warn(line);
      })
      .catch((error: unknown) => previous.config.logger.error(`tandem dev: next.config not applied: ${String(error)}`))
      .finally(() => (restarting = undefined));
  }

  // The first page.tsx of an API app: Vite starts again with the pages feature, while the HTTP
  // server, sockets and jobs stay up; requests wait for it.
  function onPageAdded(): void {
    if (pages || restarting !== undefined) return;
    pages = true;
    const previous = vite;
    restarting = start()
      .then(() => closeVite(previous))
      .catch((error: unknown) => previous.config.logger.error(`tandem dev: restarting with pages failed: ${String(error)}`))
      .finally(() => (restarting = undefined));
  }

  await start();
  let current: { build: ServerBuild; runtime: Promise<Runtime> } | undefined;

  // The app's modules run in this process: WebSocket and URLPattern on Node 20 (decision 0011).
  provideWebGlobals();
  // instrumentation.ts through the module runner (TypeScript, the app's aliases), once, before the
  // app's modules; an edit to it takes a restart, as in Next.js.
  let instrumented: Promise<unknown> | undefined;

  async function runtime(): Promise<Runtime> {
    if (restarting !== undefined) await restarting;
    instrumented ??= loadInstrumentation(root, { dev: true, load: (file) => runner.import(file) });
    await instrumented;
    const build = (await runner.import(SERVER_ENTRY_ID)) as ServerBuild;
    if (current === undefined) {
      current = { build, runtime: createRuntime({ root, build, dev: true }) };
    } else if (current.build !== build) {
      current.build = build;
      (await current.runtime).update(build);
    }
    return current.runtime;
  }

  // As `tandem start` does before it listens: instrumentation, the server entry and the runtime
  // load now, not on the first request, and so does the ssr entry (React's HTML renderer), which
  // plugin-rsc imports through the same runner on the first page. Vite's dependency optimizer
  // runs on native threads meanwhile, and the module runner's transforms fill the time the main
  // thread would spend waiting for it. A failure is shown by the request that meets it, as before.
  const warming = Promise.allSettled([runtime(), pages ? warmSsr() : undefined]);

  async function warmSsr(): Promise<void> {
    const env = vite.environments.ssr;
    if (env === undefined || !isRunnableDevEnvironment(env)) return;
    const resolved = await env.pluginContainer.resolveId(pagesEntryFile("entries/ssr"));
    if (resolved !== null) await env.runner.import(resolved.id);
  }

  return {
    get vite() {
      return vite;
    },
    runtime,
    async config() {
      const file = findConfigFile(root);
      if (file === undefined) return {};
      const loaded = (await runner.import(file)) as { default?: unknown };
      return validateConfig(loaded.default ?? {});
    },
    // Vite's client middlewares serve pages' modules; an API app's requests go straight to the app.
    // With a basePath (Vite's `base`), Vite takes it off req.url before passing a request on: the
    // app gets the URL as it came, as in production.
    nodeMiddleware: (req, res, next) => {
      if (!pages) return next();
      const url = req.url;
      vite.middlewares(req, res, () => {
        req.url = url;
        next();
      });
    },
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
      await warming;
      if (restarting !== undefined) await restarting;
      if (current !== undefined) await (await current.runtime).close();
      await closeVite(vite);
    },
  };
}

function listenForHmr(host: string): Promise<Server> {
  // What Vite's own HMR server answers to a request that is not an upgrade.
  const server = createHttpServer((_req, res) => res.writeHead(426, { "content-type": "text/plain" }).end(STATUS_CODES[426]));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

function closeHmr(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
