import { HttpError } from "../errors/http-error.js";
import type { Load, RouteModule } from "../app/types.js";

/** Next.js MetadataRoute.Sitemap entry. */
export interface SitemapEntry {
  url: string;
  lastModified?: string | Date;
  changeFrequency?: "always" | "hourly" | "daily" | "weekly" | "monthly" | "yearly" | "never";
  priority?: number;
}

export interface RobotsRule {
  userAgent?: string | string[];
  allow?: string | string[];
  disallow?: string | string[];
  crawlDelay?: number;
}

/** Next.js MetadataRoute.Robots. */
export interface Robots {
  rules: RobotsRule | RobotsRule[];
  sitemap?: string | string[];
  host?: string;
}

function invalid(file: string, why: string): HttpError {
  return new HttpError("TND_ERR_PAGES_INVALID_METADATA_ROUTE", `app/${file}: ${why}.`);
}

async function produce(mod: Record<string, unknown>, file: string): Promise<unknown> {
  const fn = mod.default;
  if (typeof fn !== "function") throw invalid(file, "default export must be a function");
  return await (fn as () => unknown)();
}

const xml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);

export function toSitemapXml(entries: unknown): string {
  if (!Array.isArray(entries)) throw invalid("sitemap.ts", "must return an array of { url }");
  const urls = entries.map((entry: SitemapEntry) => {
    if (typeof entry?.url !== "string" || !URL.canParse(entry.url))
      throw invalid("sitemap.ts", `entry url must be an absolute URL, got ${JSON.stringify(entry?.url)}`);
    const lines = [`<loc>${xml(entry.url)}</loc>`];
    if (entry.lastModified !== undefined) lines.push(`<lastmod>${new Date(entry.lastModified).toISOString()}</lastmod>`);
    if (entry.changeFrequency !== undefined) lines.push(`<changefreq>${xml(entry.changeFrequency)}</changefreq>`);
    if (entry.priority !== undefined) lines.push(`<priority>${Number(entry.priority)}</priority>`);
    return `<url>\n${lines.join("\n")}\n</url>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join("\n")}\n</urlset>\n`;
}

export function toRobotsTxt(value: unknown): string {
  const robots = value as Robots;
  if (typeof robots !== "object" || robots === null || robots.rules === undefined) throw invalid("robots.ts", "must return { rules }");
  const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  const lines: string[] = [];
  for (const rule of list(robots.rules)) {
    for (const agent of list(rule.userAgent ?? "*")) lines.push(`User-Agent: ${agent}`);
    for (const path of list(rule.allow)) lines.push(`Allow: ${path}`);
    for (const path of list(rule.disallow)) lines.push(`Disallow: ${path}`);
    if (rule.crawlDelay !== undefined) lines.push(`Crawl-delay: ${rule.crawlDelay}`);
    lines.push("");
  }
  if (robots.host !== undefined) lines.push(`Host: ${robots.host}`);
  for (const url of list(robots.sitemap)) lines.push(`Sitemap: ${url}`);
  return lines
    .join("\n")
    .replace(/\n*$/, "\n")
    .replace(/[\r\0]/g, "");
}

/**
 * app/sitemap.ts -> GET /sitemap.xml, app/robots.ts -> GET /robots.txt, as route modules the
 * app's router serves like any route.ts.
 */
export function metadataRoute(kind: "sitemap" | "robots", load: Load<Record<string, unknown>>): RouteModule {
  return {
    async GET() {
      const file = kind === "sitemap" ? "sitemap.ts" : "robots.ts";
      const value = await produce(await load(), file);
      const body = kind === "sitemap" ? toSitemapXml(value) : toRobotsTxt(value);
      const type = kind === "sitemap" ? "application/xml; charset=utf-8" : "text/plain; charset=utf-8";
      return new Response(body, { headers: { "content-type": type } });
    },
  };
}
