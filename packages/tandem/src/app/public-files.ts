import { createReadStream, type Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { Readable } from "node:stream";
import { contentTypeFor } from "./content-types.js";

interface PublicFile {
  path: string;
  size: number;
  mtimeMs: number;
}

export interface PublicFiles {
  /** Whether a file is listed at this path: a synchronous check for the hot path; undefined in dev (not known without a look). */
  has(pathname: string): boolean | undefined;
  /** A Response for the file at this URL path, or undefined when public/ has none. */
  serve(request: Request, pathname: string): Promise<Response | undefined>;
}

/**
 * Files are served only if they were listed from disk under public/: a request path is looked up
 * in that list, never joined onto the folder, so no encoding trick can reach outside it.
 * Dotfiles are not listed. Production lists once at startup; dev lists again on every lookup miss.
 */
export async function createPublicFiles(dir: string, options: { dev: boolean; immutablePrefix?: string }): Promise<PublicFiles> {
  let files = await listFiles(dir);

  async function find(pathname: string): Promise<PublicFile | undefined> {
    let key: string;
    try {
      key = decodeURIComponent(pathname);
    } catch {
      return undefined;
    }
    const hit = files.get(key);
    if (hit !== undefined || !options.dev) return hit;
    files = await listFiles(dir);
    return files.get(key);
  }

  return {
    has(pathname) {
      if (options.dev) return undefined;
      if (!pathname.includes("%")) return files.has(pathname);
      try {
        return files.has(decodeURIComponent(pathname));
      } catch {
        return false;
      }
    },
    async serve(request, pathname) {
      if (request.method !== "GET" && request.method !== "HEAD") return undefined;
      const file = await find(pathname);
      if (file === undefined) return undefined;
      const etag = `W/"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`;
      const headers = new Headers({
        "content-type": contentTypeFor(file.path),
        etag,
        "last-modified": new Date(file.mtimeMs).toUTCString(),
        // Hashed build assets never change under their name; public/ names are not hashed, so
        // caches must revalidate (as Next.js does).
        "cache-control":
          options.immutablePrefix !== undefined && pathname.startsWith(options.immutablePrefix)
            ? "public, max-age=31536000, immutable"
            : "public, max-age=0, must-revalidate",
        "x-content-type-options": "nosniff",
      });
      if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
      headers.set("content-length", String(file.size));
      if (request.method === "HEAD") return new Response(null, { status: 200, headers });
      const body = Readable.toWeb(createReadStream(file.path)) as ReadableStream<Uint8Array>;
      return new Response(body, { status: 200, headers });
    },
  };
}

async function listFiles(dir: string): Promise<Map<string, PublicFile>> {
  const out = new Map<string, PublicFile>();
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    const rel = relative(dir, full).split(sep);
    if (rel.some((part) => part.startsWith("."))) continue;
    const info = await stat(full);
    out.set("/" + rel.join("/"), { path: full, size: info.size, mtimeMs: info.mtimeMs });
  }
  return out;
}
