import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { ManifestRoute } from "../app/types.js";
import { HttpError, TandemError } from "../errors/http-error.js";
import type { Params } from "../router/types.js";
import { RSC_CONTENT_TYPE, RSC_HEADER } from "./protocol.js";

/** Written beside the server bundle's folder: .tandem/static/manifest.json. */
export interface StaticManifest {
  pages: Record<string, { html: string; rsc: string }>;
}

// Requests the build makes to prerender; the renderer must not answer them from disk (a WeakSet
// in a global, because the build and the bundle hold separate copies of this module).
const PRERENDER_KEY = Symbol.for("tandem.prerender-requests");
const prerenderRequests: WeakSet<Request> = ((globalThis as Record<symbol, unknown>)[PRERENDER_KEY] ??=
  new WeakSet<Request>()) as WeakSet<Request>;

export function isPrerenderRequest(request: Request): boolean {
  return prerenderRequests.has(request);
}

type PageRenderer = (
  request: Request,
  target: { route: ManifestRoute; params: Params; manifest: { routes: ManifestRoute[] } },
) => Promise<Response>;

function fill(pattern: string, params: Record<string, unknown>): string {
  return (
    pattern
      .replace(/\[\[?(\.\.\.)?([^\]]+)\]\]?/g, (_, rest: string | undefined, name: string) => {
        const value = params[name];
        if (rest !== undefined && Array.isArray(value)) return value.map((v) => encodeURIComponent(String(v))).join("/");
        if (typeof value !== "string" || value === "") {
          throw new TandemError("TND_ERR_PAGES_STATIC_PARAMS", `generateStaticParams() of ${pattern} gave no string for [${name}]`);
        }
        return encodeURIComponent(value);
      })
      .replace(/\/+$/, "") || "/"
  );
}

const staticPaths = new WeakMap<object, Promise<Set<string>>>();

/**
 * `export const dynamicParams = false` (Next.js): a dynamic page answers only for the params its
 * generateStaticParams() lists (none without one); other params are a 404. The list is read once
 * per page module (dev gets a new module when the file changes).
 */
export async function paramsAllowed(pattern: string, page: Record<string, unknown>, params: Params): Promise<boolean> {
  if (page.dynamicParams !== false || !pattern.includes("[")) return true;
  let paths = staticPaths.get(page);
  if (paths === undefined) {
    const generate = page.generateStaticParams;
    paths = Promise.resolve(typeof generate === "function" ? (generate as () => unknown)() : []).then((list) => {
      if (!Array.isArray(list)) {
        throw new TandemError("TND_ERR_PAGES_STATIC_PARAMS", `generateStaticParams() of ${pattern} must return an array`);
      }
      return new Set(list.map((item) => fill(pattern, item as Record<string, unknown>)));
    });
    staticPaths.set(page, paths);
    paths.catch(() => staticPaths.delete(page));
  }
  let path: string;
  try {
    path = fill(pattern, params);
  } catch {
    return false;
  }
  return (await paths).has(path);
}

function paramsOf(pattern: string, path: string): Params {
  const names: Array<[string, boolean]> = [];
  const source = pattern.replace(/\[\[?(\.\.\.)?([^\]]+)\]\]?/g, (_, rest: string | undefined, name: string) => {
    names.push([name, rest !== undefined]);
    return rest !== undefined ? "(.*)" : "([^/]+)";
  });
  const m = new RegExp(`^${source}$`).exec(path);
  const params: Params = {};
  names.forEach(([name, many], i) => {
    const raw = m?.[i + 1] ?? "";
    params[name] = many ? raw.split("/").filter(Boolean).map(decodeURIComponent) : decodeURIComponent(raw);
  });
  return params;
}

/**
 * `tandem build`: renders every `export const dynamic = "force-static"` page (one per
 * generateStaticParams() entry for dynamic segments) to HTML and RSC files under `outDir`.
 */
export async function prerender(routes: ManifestRoute[], renderPage: PageRenderer, outDir: string): Promise<string[]> {
  const manifest: StaticManifest = { pages: {} };
  await rm(outDir, { recursive: true, force: true });
  for (const route of routes) {
    if (route.page === undefined) continue;
    const mod = await route.page();
    if (mod.dynamic !== "force-static") continue;
    let paths = [route.pattern];
    if (route.pattern.includes("[")) {
      const generate = mod.generateStaticParams;
      const list = typeof generate === "function" ? await generate() : undefined;
      if (!Array.isArray(list)) {
        throw new TandemError(
          "TND_ERR_PAGES_STATIC_PARAMS",
          `${route.pattern} is force-static with dynamic segments, so generateStaticParams() must return an array`,
        );
      }
      paths = list.map((params) => fill(route.pattern, params as Record<string, unknown>));
    }
    for (const path of paths) {
      const file = path === "/" ? "index" : `${path.slice(1)}/index`;
      const target = { route, params: paramsOf(route.pattern, path), manifest: { routes } };
      for (const [kind, headers] of [
        ["html", {}],
        ["rsc", { [RSC_HEADER]: "1" }],
      ] as const) {
        const request = new Request(`http://localhost${path}`, { headers });
        prerenderRequests.add(request);
        const response = await renderPage(request, target);
        if (response.status !== 200) {
          throw new TandemError("TND_ERR_PAGES_STATIC_PARAMS", `prerendering ${path} answered ${response.status}`);
        }
        const dest = join(outDir, `${file}.${kind}`);
        await mkdir(dirname(dest), { recursive: true });
        await writeFile(dest, Buffer.from(await response.arrayBuffer()));
      }
      manifest.pages[path] = { html: `${file}.html`, rsc: `${file}.rsc` };
    }
  }
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, "manifest.json"), JSON.stringify(manifest, null, 2));
  return Object.keys(manifest.pages);
}

/** Finds .tandem/static from a module anywhere inside the server bundle folder. */
export function findStaticDir(moduleUrl: string): string | undefined {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (let i = 0; i < 3; i++, dir = dirname(dir)) {
    const candidate = join(dirname(dir), "static");
    if (existsSync(join(candidate, "manifest.json"))) return candidate;
  }
  return undefined;
}

/** Serves prerendered pages from disk; undefined when the path was not prerendered. */
export function createStaticPages(dir: string): (request: Request) => Promise<Response | undefined> {
  let manifest: Promise<StaticManifest> | undefined;
  const root = resolve(dir);
  return async (request) => {
    if (request.method !== "GET" && request.method !== "HEAD") return undefined;
    manifest ??= readFile(join(root, "manifest.json"), "utf8").then((text) => JSON.parse(text) as StaticManifest);
    const entry = Object.hasOwn((await manifest).pages, new URL(request.url).pathname)
      ? (await manifest).pages[new URL(request.url).pathname]
      : undefined;
    if (entry === undefined) return undefined;
    const rsc = request.headers.get(RSC_HEADER) === "1";
    const file = resolve(root, rsc ? entry.rsc : entry.html);
    if (!file.startsWith(root + sep)) throw new HttpError("TND_ERR_PAGES_NOT_FOUND", "Not found.");
    const body = request.method === "HEAD" ? null : await readFile(file);
    return new Response(body, {
      headers: {
        "content-type": rsc ? RSC_CONTENT_TYPE : "text/html; charset=utf-8",
        "cache-control": "public, max-age=0, must-revalidate",
        vary: RSC_HEADER,
        "x-tandem-static": "1",
      },
    });
  };
}
