import { basename } from "node:path";
import type { ScannedApp, ScannedRoute } from "../router/types.js";

/**
 * The `pageData` expression for one route of the generated server entry (PageDataEmitter of
 * build/server-entry.ts): the special files of every segment from app/ down, as loaders.
 * `importModule(file)` returns the expression naming that file's module namespace; `iconLinks` is
 * the expression for the app's icon <link>s (an array of IconLink).
 */
export function emitPageData(route: ScannedRoute, importModule: (file: string) => string, iconLinks = "[]"): string | undefined {
  if (route.page === undefined) return undefined;
  const segments = route.segments.map((segment, i) => {
    const fields: string[] = [`name: ${JSON.stringify(i === 0 ? "" : basename(segment.dir))}`];
    const add = (key: string, file: string | undefined): void => {
      if (file !== undefined) fields.push(`${key}: () => ${importModule(file)}`);
    };
    add("layout", segment.layout);
    add("template", segment.template);
    add("loading", segment.loading);
    add("error", segment.error);
    add("notFound", segment.notFound);
    return `{ ${fields.join(", ")} }`;
  });
  return `{ segments: [${segments.join(", ")}], icons: ${iconLinks} }`;
}

/**
 * Lines the generated server entry adds when the app has pages: `renderPage` and friends come
 * from the bundled pages runtime (it needs plugin-rsc's virtual modules, so it cannot be external).
 */
export const PAGES_ENTRY_LINES = [
  `import { metadataRoute as __tandemMetadataRoute } from "virtual:tandem/pages-runtime";`,
  `export { renderPage, renderNotFoundPage, runWithRequestContext } from "virtual:tandem/pages-runtime";`,
];

/** Route literals for app/sitemap.ts (/sitemap.xml) and app/robots.ts (/robots.txt). */
export function emitMetadataRoutes(app: Pick<ScannedApp, "sitemap" | "robots">, importModule: (file: string) => string): string[] {
  const routes: string[] = [];
  if (app.sitemap !== undefined) {
    routes.push(`{ pattern: "/sitemap.xml", route: () => __tandemMetadataRoute("sitemap", () => ${importModule(app.sitemap)}) }`);
  }
  if (app.robots !== undefined) {
    routes.push(`{ pattern: "/robots.txt", route: () => __tandemMetadataRoute("robots", () => ${importModule(app.robots)}) }`);
  }
  return routes;
}
