import { relative } from "node:path";
import type { Plugin, ViteDevServer } from "vite";
import { scanApp } from "../router/scan.js";
import type { ScannedApp } from "../router/types.js";
import { jobsWithDefault } from "./check-modules.js";
import { usesAppScope } from "./app-scope.js";
import { usesNextHeaders } from "./next-packages.js";
import { projectPaths } from "./project-paths.js";
import { ICON_MODULE_PREFIX, iconModule } from "./icon-module.js";
import type { ConfigRouting } from "../app/config-routes/types.js";
import { findConfigFile, findJobFiles, generateServerEntry, hasPages, SERVER_ENTRY_ID } from "./server-entry.js";

const RESOLVED_ID = "\0" + SERVER_ENTRY_ID;

export interface TandemPluginOptions {
  root: string;
  /** Called after every scan, e.g. to regenerate route types. */
  onScan?: (app: ScannedApp) => void | Promise<void>;
  /** Dev: a page (or sitemap/robots) file was added. */
  onPageAdded?: () => void;
  /** next.config's routing, stored in the server entry for the runtime. */
  routing?: ConfigRouting;
}

/**
 * Turns the file tree (app/, middleware.ts, jobs/, tandem.config.ts) into the server entry module.
 * Route files added or removed in dev invalidate the entry; edited files go through Vite's
 * ordinary module invalidation.
 */
export function tandemPlugin(options: TandemPluginOptions): Plugin {
  const { root } = options;
  let server: ViteDevServer | undefined;

  const isStructural = (file: string): boolean => {
    const rel = relative(root, file).split("\\").join("/");
    return (
      /^(src\/)?app\//.test(rel) ||
      /^jobs\//.test(rel) ||
      /^(src\/)?(middleware|proxy)\.[cm]?[jt]s$/.test(rel) ||
      /^tandem\.config\./.test(rel)
    );
  };

  const isPage = (file: string): boolean =>
    /^(src\/)?app\/(.+\/)?page\.[cm]?[jt]sx?$|^(src\/)?app\/(sitemap|robots)\.[cm]?[jt]s$/.test(relative(root, file).split("\\").join("/"));

  function invalidateEntry(): void {
    if (server === undefined) return;
    for (const env of Object.values(server.environments)) {
      const mod = env.moduleGraph.getModuleById(RESOLVED_ID);
      if (mod !== undefined) env.moduleGraph.invalidateModule(mod);
    }
  }

  return {
    name: "tandem",
    config() {
      const { tsconfigPaths, alias } = projectPaths(root);
      return { resolve: { alias, tsconfigPaths } };
    },
    configureServer(devServer) {
      server = devServer;
      const onChange = (file: string): void => {
        if (isStructural(file)) invalidateEntry();
      };
      devServer.watcher.on("add", (file: string) => {
        if (options.onPageAdded !== undefined && isPage(file)) options.onPageAdded();
      });
      devServer.watcher.on("add", onChange);
      devServer.watcher.on("unlink", onChange);
      devServer.watcher.on("addDir", onChange);
      devServer.watcher.on("unlinkDir", onChange);
    },
    resolveId(id) {
      if (id.startsWith(ICON_MODULE_PREFIX)) return "\0" + id;
      return id === SERVER_ENTRY_ID ? RESOLVED_ID : undefined;
    },
    async load(id) {
      if (id.startsWith("\0" + ICON_MODULE_PREFIX)) {
        const file = id.slice(ICON_MODULE_PREFIX.length + 1);
        this.addWatchFile(file);
        return iconModule(file);
      }
      if (id !== RESOLVED_ID) return undefined;
      const app = await scanApp(root);
      await options.onScan?.(app);
      for (const file of [app.middleware, ...app.routes.flatMap((r) => [r.route, r.socket, r.page])]) {
        if (file !== undefined) this.addWatchFile(file);
      }
      const config = findConfigFile(root);
      const jobs = await jobsWithDefault(await findJobFiles(root), root, (message) => this.warn(message));
      const extras: Parameters<typeof generateServerEntry>[1] = { jobs };
      if (config !== undefined) extras.config = config;
      if (options.routing !== undefined) extras.routing = options.routing;
      if (!hasPages(app) && (await usesNextHeaders(root))) extras.requestContext = true;
      extras.appScope = jobs.length > 0 || app.routes.some((route) => route.socket !== undefined) || (await usesAppScope(root));
      return generateServerEntry(app, extras);
    },
  };
}
