import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { emitMetadataRoutes, emitPageData, PAGES_ENTRY_LINES } from "../pages/codegen.js";
import { ICON_MODULE_PREFIX, iconPath } from "./icon-module.js";
import type { ScannedApp } from "../router/types.js";
import type { ConfigRouting } from "../app/config-routes/types.js";

export const SERVER_ENTRY_ID = "virtual:tandem/server-entry";

const CONFIG_FILES = ["tandem.config.ts", "tandem.config.js", "tandem.config.mjs"];
const JOB_FILE = /^([a-z0-9][a-z0-9-_]*)\.(ts|js|mts|mjs)$/i;

export function findConfigFile(root: string): string | undefined {
  return CONFIG_FILES.map((name) => join(root, name)).find((file) => existsSync(file));
}

/** jobs/<name>.ts at the project root: the file name is the job's name. */
export async function findJobFiles(root: string): Promise<Array<{ name: string; file: string }>> {
  const dir = join(root, "jobs");
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names
    .flatMap((name) => {
      const m = JOB_FILE.exec(name);
      return m && !name.endsWith(".d.ts") && !/\.test\./.test(name) ? [{ name: m[1]!, file: join(dir, name) }] : [];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Extra code the pages feature contributes per route (layout chain etc.), as a JS expression. */
export type PageDataEmitter = (route: ScannedApp["routes"][number], importModule: (file: string) => string) => string | undefined;

/** Pages, app/sitemap.ts or app/robots.ts need the pages feature (plugin-rsc) in the build. */
export function hasPages(app: ScannedApp): boolean {
  return app.sitemap !== undefined || app.robots !== undefined || app.routes.some((route) => route.page !== undefined);
}

/**
 * The one server module of an app: every route, socket and page module, the middleware, the
 * jobs and the config, imported statically so that production loads a single bundle and dev
 * re-evaluates exactly the modules that changed.
 */
export function generateServerEntry(
  app: ScannedApp,
  extras: {
    config?: string;
    jobs: Array<{ name: string; file: string }>;
    requestContext?: boolean;
    appScope?: boolean;
    routing?: ConfigRouting;
  },
): string {
  const pages = hasPages(app);
  const imports: string[] = [];
  const ids = new Map<string, string>();
  const importModule = (file: string): string => {
    let id = ids.get(file);
    if (id === undefined) {
      id = `m${ids.size}`;
      ids.set(file, id);
      imports.push(`import * as ${id} from ${JSON.stringify(file)};`);
    }
    return id;
  };
  // app/favicon.ico etc.: a route each (also in an API-only app), and the <link>s every page gets.
  const iconModules = Object.values(app.icons ?? {}).map((file) => ({ file, id: importModule(ICON_MODULE_PREFIX + file) }));
  const iconLinks = `[${iconModules.map(({ id }) => `${id}.link`).join(", ")}]`;
  const routes = app.routes.map((route) => {
    const fields = [`pattern: ${JSON.stringify(route.pattern)}`];
    if (route.route) fields.push(`route: () => ${importModule(route.route)}`);
    if (route.socket) fields.push(`socket: () => ${importModule(route.socket)}`);
    if (route.page) fields.push(`page: () => ${importModule(route.page)}`);
    const pageData = pages ? emitPageData(route, importModule, iconLinks) : undefined;
    if (pageData !== undefined) fields.push(`pageData: ${pageData}`);
    return `  { ${fields.join(", ")} }`;
  });
  if (pages) routes.push(...emitMetadataRoutes(app, importModule).map((literal) => `  ${literal}`));
  for (const { file, id } of iconModules) routes.push(`  { pattern: ${JSON.stringify(iconPath(file))}, route: () => ${id}, asset: true }`);
  const middleware = app.middleware ? `() => ${importModule(app.middleware)}` : "undefined";
  const config = extras.config ? `${importModule(extras.config)}.default ?? {}` : "{}";
  const jobs = extras.jobs.map(({ name, file }) => `  ${JSON.stringify(name)}: ${importModule(file)}.default`);
  return [
    ...imports,
    ...(pages ? PAGES_ENTRY_LINES : []),
    // An API-only app that reads next/headers' cookies()/headers() needs the request context
    // that pages set up anyway; the others skip its per-request cost (see next-packages.ts).
    ...(!pages && extras.requestContext === true ? [`export { runWithRequestContext } from "tandem/server";`] : []),
    `export const routes = [\n${routes.join(",\n")}\n];`,
    `export const middleware = ${middleware};`,
    `export const config = ${config};`,
    `export const jobs = {\n${jobs.join(",\n")}\n};`,
    // next.config's routing as data: the build called its functions, the server only matches.
    ...(extras.routing === undefined ? [] : [`export const nextConfig = ${JSON.stringify(extras.routing)};`]),
    // Whether requests run in the app's scope (see build/app-scope.ts); absent means they do.
    ...(extras.appScope === false ? ["export const appScope = false;"] : []),
    // The HMR boundary of the server: an edit re-evaluates the changed module and its importers up
    // to here, and the next request picks up the new exports. Without it, Vite's module runner
    // answers every edit with a full reload that re-evaluates React and every other module.
    "if (import.meta.hot) import.meta.hot.accept();",
    "",
  ].join("\n");
}
