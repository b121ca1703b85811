import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import type { IconLink } from "../pages/types.js";

/** Prefix of the module id that turns app/icon.png (etc.) into a route module. */
export const ICON_MODULE_PREFIX = "virtual:tandem/icon:";

const TYPES: Record<string, string> = {
  ".ico": "image/x-icon",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
};

const GENERATED = /^\.[jt]sx?$/;

/** Where an icon file is served: /favicon.ico, /icon.png as named; a generated icon.tsx at /icon. */
export function iconPath(file: string): string {
  const name = basename(file);
  return GENERATED.test(extname(name)) ? `/${name.slice(0, -extname(name).length)}` : `/${name}`;
}

function relOf(name: string): IconLink["rel"] {
  if (name.startsWith("apple-icon.")) return "apple-touch-icon";
  if (name.startsWith("opengraph-image.")) return "og:image";
  if (name.startsWith("twitter-image.")) return "twitter:image";
  return "icon";
}

/**
 * A generated image (app/icon.tsx, apple-icon.tsx, opengraph-image.tsx, twitter-image.tsx: Next.js's
 * conventions): its default export returns an ImageResponse; its `size`, `contentType` and `alt`
 * exports fill the <link> or the og:image / twitter:image tags. The source's
 * hash is the query, as the file's hash is for an image file.
 */
function generatedIconModule(file: string, source: Buffer): string {
  const hash = createHash("sha256").update(source).digest("hex").slice(0, 16);
  const name = basename(file);
  const path = iconPath(file);
  return [
    `import * as icon from ${JSON.stringify(file)};`,
    'import { TandemError } from "tandem/server";',
    "const size = icon.size;",
    "export const link = {",
    `  rel: ${JSON.stringify(relOf(name))},`,
    `  href: ${JSON.stringify(`${path}?${hash}`)},`,
    '  type: icon.contentType ?? "image/png",',
    '  ...(typeof icon.alt === "string" ? { alt: icon.alt } : {}),',
    '  ...(size && Number.isInteger(size.width) && Number.isInteger(size.height) ? { sizes: size.width + "x" + size.height } : {}),',
    "};",
    "export async function GET() {",
    '  if (typeof icon.default !== "function") {',
    `    throw new TandemError("TND_ERR_OG_ICON_EXPORT", ${JSON.stringify(`app/${name} must export a default function that returns an ImageResponse`)});`,
    "  }",
    "  return icon.default({ params: Promise.resolve({}) });",
    "}",
    "",
  ].join("\n");
}

/**
 * Width x height from the file's own header: a PNG's IHDR chunk, an ICO's first image entry
 * (0 means 256), "any" for SVG. Undefined when the header does not say (JPEG, a damaged file).
 */
export function iconSizes(bytes: Uint8Array, ext: string): string | undefined {
  if (ext === ".svg") return "any";
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (ext === ".png" && bytes.length >= 24 && view.getUint32(0) === 0x89504e47) {
    return `${view.getUint32(16)}x${view.getUint32(20)}`;
  }
  if (ext === ".ico" && bytes.length >= 8 && view.getUint16(0, true) === 0 && view.getUint16(2, true) === 1) {
    return `${bytes[6] || 256}x${bytes[7] || 256}`;
  }
  return undefined;
}

/**
 * The icon file as a route module: the bytes inlined (icons are small, and a build then needs no
 * copy of app/ beside it), a GET with a content hash as ETag, and `link` for <head>. favicon.ico
 * keeps its bare URL, as browsers ask for it unprompted; other icons carry the hash as a query so
 * that a changed icon is fetched again (Next.js does both the same way).
 */
export async function iconModule(file: string): Promise<string> {
  const bytes = await readFile(file);
  const ext = extname(file).toLowerCase();
  if (GENERATED.test(ext)) return generatedIconModule(file, bytes);
  const name = basename(file);
  const type = TYPES[ext] ?? "application/octet-stream";
  const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
  const sizes = iconSizes(bytes, ext);
  const link: IconLink = {
    rel: name.startsWith("apple-icon.") ? "apple-touch-icon" : "icon",
    href: name.startsWith("favicon.") ? `/${name}` : `/${name}?${hash}`,
    type,
    ...(sizes === undefined ? {} : { sizes }),
  };
  return [
    `const bytes = Uint8Array.from(atob(${JSON.stringify(bytes.toString("base64"))}), (c) => c.charCodeAt(0));`,
    `const etag = ${JSON.stringify(`"${hash}"`)};`,
    `export const link = ${JSON.stringify(link)};`,
    "export function GET(request) {",
    `  const headers = { "content-type": ${JSON.stringify(type)}, "cache-control": "public, max-age=0, must-revalidate", etag };`,
    `  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });`,
    "  return new Response(bytes, { headers });",
    "}",
    "",
  ].join("\n");
}
