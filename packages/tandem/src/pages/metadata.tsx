import type { ReactNode } from "react";
import { HttpError } from "../errors/http-error.js";
import type { PageModule } from "./types.js";

type OneOrMany<T> = T | T[];
export interface MetadataImage {
  url: string | URL;
  width?: number;
  height?: number;
  alt?: string;
}

/** The subset of Next.js's Metadata that Tandem renders (same field names, so code ports over). */
export interface Metadata {
  metadataBase?: string | URL;
  title?: string | { default?: string; template?: string; absolute?: string };
  description?: string;
  keywords?: OneOrMany<string>;
  robots?: string | { index?: boolean; follow?: boolean };
  alternates?: { canonical?: string | URL };
  openGraph?: {
    title?: string;
    description?: string;
    url?: string | URL;
    siteName?: string;
    type?: string;
    locale?: string;
    images?: OneOrMany<string | MetadataImage>;
  };
  twitter?: {
    card?: "summary" | "summary_large_image" | "app" | "player";
    title?: string;
    description?: string;
    site?: string;
    creator?: string;
    images?: OneOrMany<string | MetadataImage>;
  };
}

export interface ResolvedMetadata extends Omit<Metadata, "title"> {
  title?: string;
}

type MetadataProps = { params: Promise<unknown>; searchParams: Promise<unknown> };

/**
 * Layouts (outermost first), then the page: later values win per field; a layout's
 * `title.template` ("%s | Board") wraps the titles of the segments below it.
 */
export async function resolveMetadata(modules: PageModule[], props: MetadataProps): Promise<ResolvedMetadata> {
  let resolved: ResolvedMetadata = {};
  let template: string | undefined;
  for (const mod of modules) {
    const own = await readMetadata(mod, props, resolved);
    if (own === undefined) continue;
    const { title, ...rest } = own;
    resolved = { ...resolved, ...rest };
    if (typeof title === "string") resolved.title = template === undefined ? title : template.replace("%s", title);
    else if (title !== undefined) {
      if (title.absolute !== undefined) resolved.title = title.absolute;
      else if (title.default !== undefined) resolved.title = title.default;
      if (title.template !== undefined) template = title.template;
    }
  }
  return resolved;
}

async function readMetadata(mod: PageModule, props: MetadataProps, parent: ResolvedMetadata): Promise<Metadata | undefined> {
  const generate = mod.generateMetadata;
  const value = typeof generate === "function" ? await generate(props, Promise.resolve(parent)) : mod.metadata;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object") {
    throw new HttpError("TND_ERR_PAGES_INVALID_MODULE", `metadata must be an object, got ${typeof value}.`);
  }
  return value as Metadata;
}

function list<T>(value: OneOrMany<T> | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/**
 * Tags for <head>; React 19 hoists <title>, <meta> and <link> there from anywhere in the tree.
 * A function the renderer calls, not a component: in development React sends a component's props
 * to the browser for its dev tools, and a URL there (metadataBase, the request's URL) went out as
 * the source code of node's URL class.
 */
export function metadataTags(m: ResolvedMetadata, url: URL): ReactNode {
  const base = m.metadataBase === undefined ? url : new URL(m.metadataBase);
  const abs = (value: string | URL): string => new URL(value, base).href;
  const tags: ReactNode[] = [];
  const meta = (key: string, attr: "name" | "property", name: string, content: string | undefined): void => {
    if (content !== undefined && content !== "") tags.push(<meta key={key} {...{ [attr]: name }} content={content} />);
  };
  if (m.title !== undefined) tags.push(<title key="title">{m.title}</title>);
  meta("description", "name", "description", m.description);
  meta("keywords", "name", "keywords", list(m.keywords).join(", ") || undefined);
  if (m.robots !== undefined) {
    const robots =
      typeof m.robots === "string"
        ? m.robots
        : [m.robots.index === false ? "noindex" : "index", m.robots.follow === false ? "nofollow" : "follow"].join(", ");
    meta("robots", "name", "robots", robots);
  }
  if (m.alternates?.canonical !== undefined) tags.push(<link key="canonical" rel="canonical" href={abs(m.alternates.canonical)} />);
  const og = m.openGraph;
  if (og !== undefined) {
    meta("og:title", "property", "og:title", og.title ?? m.title);
    meta("og:description", "property", "og:description", og.description ?? m.description);
    meta("og:url", "property", "og:url", og.url === undefined ? undefined : abs(og.url));
    meta("og:site_name", "property", "og:site_name", og.siteName);
    meta("og:locale", "property", "og:locale", og.locale);
    meta("og:type", "property", "og:type", og.type ?? "website");
    list(og.images).forEach((image, i) => {
      const img = typeof image === "string" ? { url: image } : image;
      meta(`og:image${i}`, "property", "og:image", abs(img.url));
      meta(`og:image:width${i}`, "property", "og:image:width", img.width?.toString());
      meta(`og:image:height${i}`, "property", "og:image:height", img.height?.toString());
      meta(`og:image:alt${i}`, "property", "og:image:alt", img.alt);
    });
  }
  const tw = m.twitter;
  if (tw !== undefined) {
    meta("twitter:card", "name", "twitter:card", tw.card ?? "summary");
    meta("twitter:title", "name", "twitter:title", tw.title ?? og?.title ?? m.title);
    meta("twitter:description", "name", "twitter:description", tw.description ?? og?.description ?? m.description);
    meta("twitter:site", "name", "twitter:site", tw.site);
    meta("twitter:creator", "name", "twitter:creator", tw.creator);
    list(tw.images).forEach((image, i) => {
      meta(`twitter:image${i}`, "name", "twitter:image", abs(typeof image === "string" ? image : image.url));
    });
  }
  return <>{tags}</>;
}
