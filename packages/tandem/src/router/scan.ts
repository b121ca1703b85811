import type { Dirent } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { TandemError } from "../errors/http-error.js";
import {
  classifyFolder,
  MIDDLEWARE_EXTENSIONS,
  MIDDLEWARE_NAMES,
  pickFile,
  ICON_FILES,
  ROOT_FILES,
  ROUTE_FILES,
  SEGMENT_FILES,
} from "./conventions.js";
import { comparePatterns, parsePattern, parseSegment } from "./pattern.js";
import { TrieRouter } from "./trie-router.js";
import type { ScannedApp, ScannedIcons, ScannedRoute, SegmentFiles } from "./types.js";

interface Listing {
  files: Set<string>;
  dirs: string[];
}

interface Walk {
  root: string;
  appDir: string;
  show: (file: string) => string;
  routes: ScannedRoute[];
}

/** Directory entries with symlinks resolved to what they point at; sorted for stable errors. */
async function list(dir: string): Promise<Listing> {
  const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
  const files = new Set<string>();
  const dirs: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await stat(join(dir, entry.name)).catch(() => undefined);
      isDir = target?.isDirectory() ?? false;
      isFile = target?.isFile() ?? false;
    }
    if (isDir) dirs.push(entry.name);
    else if (isFile) files.add(entry.name);
  }
  return { files, dirs };
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

async function findAppDir(root: string): Promise<string> {
  const [top, nested] = await Promise.all([isDirectory(join(root, "app")), isDirectory(join(root, "src", "app"))]);
  if (top && nested) {
    throw new TandemError(
      "TND_ERR_APP_DIR_AMBIGUOUS",
      `Both ${join(root, "app")} and ${join(root, "src", "app")} exist; keep one of them.`,
    );
  }
  if (top) return join(root, "app");
  if (nested) return join(root, "src", "app");
  throw new TandemError("TND_ERR_NO_APP_DIR", `No app/ or src/app/ folder in ${root}; create app/ with route.ts or page.tsx files.`);
}

async function walk(state: Walk, dir: string, url: string[], chain: SegmentFiles[], seen: Set<string>): Promise<void> {
  const real = await realpath(dir);
  if (seen.has(real)) {
    throw new TandemError("TND_ERR_ROUTE_UNSUPPORTED", `${state.show(dir)} links back to one of its own parent folders.`);
  }
  const { files, dirs } = await list(dir);
  const show = (name: string) => state.show(join(dir, name));
  const at = (name: string | undefined) => (name === undefined ? undefined : join(dir, name));

  const segment: SegmentFiles = { dir };
  for (const [key, [base, extensions]] of Object.entries(SEGMENT_FILES)) {
    const file = at(pickFile(files, base, extensions, show));
    if (file !== undefined) segment[key as keyof typeof SEGMENT_FILES] = file;
  }
  if (dir !== state.appDir) {
    for (const base of Object.keys(ROOT_FILES)) {
      const file = pickFile(files, base, ROOT_FILES[base as keyof typeof ROOT_FILES], show);
      if (file !== undefined) {
        throw new TandemError(
          "TND_ERR_ROUTE_UNSUPPORTED",
          `${show(file)}: Tandem supports ${base}.ts only at the app/ root (app/${base}.ts).`,
        );
      }
    }
  }
  const segments = [...chain, segment];
  const route = at(pickFile(files, "route", ROUTE_FILES.route, show));
  const page = at(pickFile(files, "page", ROUTE_FILES.page, show));
  const socket = at(pickFile(files, "socket", ROUTE_FILES.socket, show));
  if (route !== undefined && page !== undefined) {
    throw new TandemError(
      "TND_ERR_ROUTE_CONFLICT",
      `${state.show(route)} and ${state.show(page)} both serve the URL "/${url.join("/")}"; a folder has route.ts or page.tsx, not both.`,
    );
  }
  if (route !== undefined || page !== undefined || socket !== undefined) {
    const scanned: ScannedRoute = { pattern: "/" + url.join("/"), segments };
    if (route !== undefined) scanned.route = route;
    if (page !== undefined) scanned.page = page;
    if (socket !== undefined) scanned.socket = socket;
    state.routes.push(scanned);
  }

  const inside = new Set(seen).add(real);
  for (const name of dirs) {
    const child = join(dir, name);
    const folder = classifyFolder(name, () => state.show(child));
    if (folder.kind === "private") continue;
    if (folder.kind === "group") {
      await walk(state, child, url, segments, inside);
      continue;
    }
    parseSegment(folder.text, `folder ${state.show(child)}`);
    await walk(state, child, [...url, folder.text], segments, inside);
  }
}

/** The file that stands for a route in messages and tables. */
export function mainFile(route: ScannedRoute): string {
  return route.route ?? route.page ?? route.socket!;
}

/**
 * Reads `root`/app (or `root`/src/app) with Next.js App Router conventions and checks everything
 * the matcher would refuse, so a bad tree fails at startup or build with both files named.
 */
export async function scanApp(root: string): Promise<ScannedApp> {
  const absolute = resolve(root);
  const appDir = await findAppDir(absolute);
  const show = (file: string) => relative(absolute, file).split(sep).join("/");
  const state: Walk = { root: absolute, appDir, show, routes: [] };
  await walk(state, appDir, [], [], new Set());

  const byPattern = new Map<string, ScannedRoute>();
  for (const route of state.routes) {
    const other = byPattern.get(route.pattern);
    if (other !== undefined) {
      throw new TandemError(
        "TND_ERR_ROUTE_CONFLICT",
        `${show(mainFile(other))} and ${show(mainFile(route))} both serve the URL "${route.pattern}" ` +
          `(route groups do not appear in the URL).`,
      );
    }
    byPattern.set(route.pattern, route);
  }
  // The matcher's own checks (slug names, catch-all placement) with files named instead of patterns.
  const router = new TrieRouter<ScannedRoute>({ describe: (route) => show(mainFile(route)) });
  for (const route of state.routes) router.add(route.pattern, route);
  const sorted = state.routes
    .map((route) => ({ route, segments: parsePattern(route.pattern) }))
    .sort((a, b) => comparePatterns(a.segments, b.segments))
    .map(({ route }) => route);

  const app: ScannedApp = { root: absolute, appDir, routes: sorted };
  const { files: rootFiles } = await list(appDir);
  const inApp = (name: string) => show(join(appDir, name));
  const sitemap = pickFile(rootFiles, "sitemap", ROOT_FILES.sitemap, inApp);
  const robots = pickFile(rootFiles, "robots", ROOT_FILES.robots, inApp);
  if (sitemap !== undefined) app.sitemap = join(appDir, sitemap);
  if (robots !== undefined) app.robots = join(appDir, robots);
  const icons: ScannedIcons = {};
  for (const [key, [base, extensions]] of Object.entries(ICON_FILES) as Array<
    [keyof ScannedIcons, (typeof ICON_FILES)[keyof ScannedIcons]]
  >) {
    const file = pickFile(rootFiles, base, extensions, inApp);
    if (file !== undefined) icons[key] = join(appDir, file);
  }
  if (Object.keys(icons).length > 0) app.icons = icons;
  const middleware = await findMiddleware(join(appDir, ".."), show);
  if (middleware !== undefined) app.middleware = middleware;
  return app;
}

async function findMiddleware(dir: string, show: (file: string) => string): Promise<string | undefined> {
  const { files } = await list(dir);
  const inDir = (name: string) => show(join(dir, name));
  const found = MIDDLEWARE_NAMES.map((base) => pickFile(files, base, MIDDLEWARE_EXTENSIONS, inDir)).filter(
    (file): file is string => file !== undefined,
  );
  if (found.length > 1) {
    throw new TandemError(
      "TND_ERR_ROUTE_FILE_CONFLICT",
      `${inDir(found[0]!)} and ${inDir(found[1]!)} both exist; proxy is the Next.js 16 name for middleware, keep one.`,
    );
  }
  return found[0] === undefined ? undefined : join(dir, found[0]);
}
