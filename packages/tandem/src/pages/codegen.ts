import type { ScannedRoute } from "../router/types.js";

/**
 * The `pageData` expression for one route of the generated server entry (PageDataEmitter of
 * build/server-entry.ts): the special files of every segment from app/ down, as loaders.
 * `importModule(file)` returns the expression naming that file's module namespace.
 */
export function emitPageData(route: ScannedRoute, importModule: (file: string) => string): string | undefined {
  if (route.page === undefined) return undefined;
  const segments = route.segments.map((segment) => {
    const fields: string[] = [];
    const add = (key: string, file: string | undefined): void => {
      if (file !== undefined) fields.push(`${key}: () => ${importModule(file)}`);
    };
    add("layout", segment.layout);
    add("loading", segment.loading);
    add("error", segment.error);
    add("notFound", segment.notFound);
    return `{ ${fields.join(", ")} }`;
  });
  return `{ segments: [${segments.join(", ")}] }`;
}
