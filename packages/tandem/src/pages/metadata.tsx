import type { ReactNode } from "react";
import { HttpError } from "../errors/http-error.js";
import type { IconLink, PageModule } from "./types.js";

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

export interface ThemeColorDescriptor {
  color: string;
  media?: string;
}

/** Next.js's Viewport: `export const viewport` or `generateViewport()` in a layout or page. */
export interface Viewport {
  width?: string | number;
  height?: string | number;
  initialScale?: number;
  minimumScale?: number;
  maximumScale?: number;
  userScalable?: boolean;
  viewportFit?: "auto" | "cover" | "contain";
  interactiveWidget?: "resizes-visual" | "resizes-content" | "overlays-content";
  themeColor?: string | ThemeColorDescriptor | ThemeColorDescriptor[] | null;
  colorScheme?: "normal" | "light" | "dark" | "light dark" | "dark light" | "only light" | null;
}

/** What a page gets without a viewport export: it renders at the device's width, not at 980 px. */
export const DEFAULT_VIEWPORT: Viewport = { width: "device-width", initialScale: 1 };

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

/** The default viewport, then each layout's and the page's `viewport` (or generateViewport()), field by field. */
export async function resolveViewport(modules: PageModule[], props: MetadataProps): Promise<Viewport> {
  let resolved: Viewport = { ...DEFAULT_VIEWPORT };
  for (const mod of modules) {
    const legacy = legacyViewport(mod.metadata);
    if (legacy !== undefined) resolved = { ...resolved, ...legacy };
    const own = await readExport<Viewport>(mod, "viewport", "generateViewport", props, resolved);
    if (own !== undefined) resolved = { ...resolved, ...own };
  }
  return resolved;
}

/**
 * Next.js 13 read `viewport`, `themeColor` and `colorScheme` from a static `metadata`; 14 moved
 * them to the `viewport` export. Code written either way renders the same (the export wins).
 */
function legacyViewport(metadata: unknown): Viewport | undefined {
  if (typeof metadata !== "object" || metadata === null) return undefined;
  const { viewport, themeColor, colorScheme } = metadata as { viewport?: unknown } & Pick<Viewport, "themeColor" | "colorScheme">;
  const fields: Viewport = typeof viewport === "object" && viewport !== null ? { ...(viewport as Viewport) } : {};
  if (themeColor !== undefined) fields.themeColor = themeColor;
  if (colorScheme !== undefined) fields.colorScheme = colorScheme;
  return Object.keys(fields).length === 0 ? undefined : fields;
}

function readMetadata(mod: PageModule, props: MetadataProps, parent: ResolvedMetadata): Promise<Metadata | undefined> {
  return readExport<Metadata>(mod, "metadata", "generateMetadata", props, parent);
}

async function readExport<T>(
  mod: PageModule,
  name: string,
  generator: string,
  props: MetadataProps,
  parent: unknown,
): Promise<T | undefined> {
  const generate = mod[generator];
  const value = typeof generate === "function" ? await generate(props, Promise.resolve(parent)) : mod[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object") {
    throw new HttpError("TND_ERR_PAGES_INVALID_MODULE", `${name} must be an object, got ${typeof value}.`);
  }
  return value as T;
}

const VIEWPORT_KEYS: Array<[keyof Viewport, string]> = [
  ["width", "width"],
  ["height", "height"],
  ["initialScale", "initial-scale"],
  ["minimumScale", "minimum-scale"],
  ["maximumScale", "maximum-scale"],
  ["userScalable", "user-scalable"],
  ["viewportFit", "viewport-fit"],
  ["interactiveWidget", "interactive-widget"],
];

/**
 * What every document's <head> starts with, as in Next.js: the charset, the viewport, theme
 * color and color scheme, and the app's icon files. React puts the charset and viewport first.
 */
export function documentTags(viewport: Viewport, icons: readonly IconLink[] = []): ReactNode {
  const content = VIEWPORT_KEYS.flatMap(([key, name]) => {
    const value = viewport[key];
    if (value === undefined || value === null) return [];
    return [`${name}=${typeof value === "boolean" ? (value ? "yes" : "no") : value}`];
  }).join(", ");
  const tags: ReactNode[] = [<meta key="charset" charSet="utf-8" />];
  if (content !== "") tags.push(<meta key="viewport" name="viewport" content={content} />);
  const themes = viewport.themeColor ?? [];
  (typeof themes === "string" ? [{ color: themes }] : Array.isArray(themes) ? themes : [themes]).forEach((theme, i) => {
    tags.push(<meta key={`theme-color${i}`} name="theme-color" content={theme.color} {...(theme.media ? { media: theme.media } : {})} />);
  });
  if (viewport.colorScheme) tags.push(<meta key="color-scheme" name="color-scheme" content={viewport.colorScheme} />);
  for (const icon of icons) {
    if (icon.rel === "og:image" || icon.rel === "twitter:image") continue;
    tags.push(<link key={icon.href} rel={icon.rel} href={icon.href} type={icon.type} {...(icon.sizes ? { sizes: icon.sizes } : {})} />);
  }
  return <>{tags}</>;
}

/**
 * app/opengraph-image.tsx and app/twitter-image.tsx win over `openGraph.images` and
 * `twitter.images`, as file-based metadata does in Next.js; a twitter image makes the card large.
 */
export function withFileImages(m: ResolvedMetadata, icons: readonly IconLink[] = []): ResolvedMetadata {
  const images = (rel: IconLink["rel"]): MetadataImage[] =>
    icons
      .filter((icon) => icon.rel === rel)
      .map((icon) => {
        const [width, height] = (icon.sizes ?? "").split("x").map(Number);
        return {
          url: icon.href,
          ...(width && height ? { width, height } : {}),
          ...(icon.alt !== undefined ? { alt: icon.alt } : {}),
        };
      });
  const og = images("og:image");
  const twitter = images("twitter:image");
  if (og.length === 0 && twitter.length === 0) return m;
  const out = { ...m };
  if (og.length > 0) out.openGraph = { ...m.openGraph, images: og };
  if (twitter.length > 0) out.twitter = { ...m.twitter, card: m.twitter?.card ?? "summary_large_image", images: twitter };
  return out;
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
