import { TandemError } from "../errors/http-error.js";

/** File conventions inside app/ and the extensions each accepts (Next.js App Router names). */
export const ROUTE_FILES = {
  route: ["ts", "js", "tsx", "jsx", "mjs"],
  page: ["tsx", "jsx", "ts", "js"],
  socket: ["ts", "js"],
} as const;

const COMPONENT = ["tsx", "jsx", "ts", "js"] as const;

/** Per-segment files, keyed by the SegmentFiles field they fill. */
export const SEGMENT_FILES = {
  layout: ["layout", COMPONENT],
  loading: ["loading", COMPONENT],
  error: ["error", COMPONENT],
  notFound: ["not-found", COMPONENT],
  template: ["template", COMPONENT],
} as const;

/** Only at the app/ root. */
export const ROOT_FILES = { sitemap: ["ts", "js"], robots: ["ts", "js"] } as const;

/**
 * Icon files at the app/ root (Next.js file conventions), served at /<name>.<ext> and linked in
 * <head>; an icon.tsx (or .ts, .jsx, .js) draws its image with ImageResponse and is served at /<name>,
 * as do opengraph-image.tsx and twitter-image.tsx, which become every page's og:image and twitter:image.
 */
export const ICON_FILES = {
  favicon: ["favicon", ["ico"]],
  icon: ["icon", ["ico", "jpg", "jpeg", "png", "svg", "tsx", "jsx", "ts", "js"]],
  appleIcon: ["apple-icon", ["jpg", "jpeg", "png", "tsx", "jsx", "ts", "js"]],
  openGraphImage: ["opengraph-image", ["tsx", "jsx", "ts", "js"]],
  twitterImage: ["twitter-image", ["tsx", "jsx", "ts", "js"]],
} as const;

/** Beside app/. Next.js 16 renamed middleware to proxy; both names are accepted, not both at once. */
export const MIDDLEWARE_NAMES = ["middleware", "proxy"] as const;
export const MIDDLEWARE_EXTENSIONS = ["ts", "js"] as const;

/**
 * The one file among `names` with base name `base` and an accepted extension, or undefined.
 * Two of them (route.ts and route.js) is an error: which one runs would be a guess.
 */
export function pickFile(
  names: ReadonlySet<string>,
  base: string,
  extensions: readonly string[],
  show: (file: string) => string,
): string | undefined {
  const found = extensions.map((ext) => `${base}.${ext}`).filter((file) => names.has(file));
  if (found.length > 1) {
    throw new TandemError(
      "TND_ERR_ROUTE_FILE_CONFLICT",
      `${show(found[0]!)} and ${show(found[1]!)} are both a ${base} file for the same folder; keep one.`,
    );
  }
  return found[0];
}

export type FolderKind = { kind: "segment"; text: string } | { kind: "group" } | { kind: "private" };

/**
 * What a folder name means for the URL. Parallel (@slot) and intercepting ((.)x) routes are
 * refused by name: serving them as plain folders would route requests somewhere unexpected.
 */
export function classifyFolder(name: string, show: () => string): FolderKind {
  if (name.startsWith("_")) return { kind: "private" };
  if (name.startsWith("@")) {
    throw new TandemError(
      "TND_ERR_ROUTE_UNSUPPORTED",
      `${show()} is a parallel route slot (@folder), which Tandem does not support; rename or move it.`,
    );
  }
  if (/^\(\.{1,3}\)/.test(name)) {
    throw new TandemError(
      "TND_ERR_ROUTE_UNSUPPORTED",
      `${show()} is an intercepting route ((.), (..), (...)), which Tandem does not support; rename or move it.`,
    );
  }
  if (name.startsWith("(") && name.endsWith(")")) {
    if (name.length === 2) {
      throw new TandemError("TND_ERR_ROUTE_PATTERN_INVALID", `${show()} is a route group without a name; use (name).`);
    }
    return { kind: "group" };
  }
  // Next.js: a folder named %5Fname serves the URL segment "_name" (a plain _name is private).
  if (/^%5f/i.test(name)) return { kind: "segment", text: "_" + name.slice(3) };
  return { kind: "segment", text: name };
}
