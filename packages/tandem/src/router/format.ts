import { basename, relative, sep } from "node:path";
import type { ScannedApp } from "./types.js";

export interface RouteTableOptions {
  /**
   * HTTP methods per file (absolute path), once known: the scanner reads no modules, so the
   * build or dev server fills this after importing route.ts files. Unknown shows "-".
   */
  methods?: ReadonlyMap<string, readonly string[]>;
}

type Row = [url: string, kind: string, methods: string, file: string];

const HEADER: Row = ["URL", "Kind", "Methods", "File"];

/**
 * The `tandem routes` table: one row per file that serves requests, in matching order
 * (static before dynamic before catch-all), then middleware and metadata files.
 */
export function formatRouteTable(app: ScannedApp, options: RouteTableOptions = {}): string {
  const show = (file: string) => relative(app.root, file).split(sep).join("/");
  const methods = (file: string) => options.methods?.get(file)?.join(",") || "-";
  const rows: Row[] = [];
  for (const route of app.routes) {
    for (const kind of ["route", "page", "socket"] as const) {
      const file = route[kind];
      if (file !== undefined) rows.push([route.pattern, kind, methods(file), show(file)]);
    }
  }
  if (app.sitemap !== undefined) rows.push(["/sitemap.xml", "sitemap", "GET", show(app.sitemap)]);
  if (app.robots !== undefined) rows.push(["/robots.txt", "robots", "GET", show(app.robots)]);
  for (const file of Object.values(app.icons ?? {})) rows.push([`/${basename(file)}`, "icon", "GET", show(file)]);
  if (app.middleware !== undefined) rows.push(["*", "middleware", "*", show(app.middleware)]);
  if (rows.length === 0) return `No routes in ${show(app.appDir)}/ (add a route.ts or page.tsx).`;

  const table = [HEADER, ...rows];
  const widths = HEADER.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  const line = (row: Row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  ");
  const rule = widths.map((width) => "-".repeat(width)).join("  ");
  const count = `${app.routes.length} ${app.routes.length === 1 ? "route" : "routes"}`;
  return [line(HEADER), rule, ...rows.map(line), "", count].join("\n");
}
