import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { Encoding } from "../compression/negotiate.js";
import { serveFile, type StaticFile as PublicFile } from "../static/serve-file.js";

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
export async function createPublicFiles(
  dir: string,
  options: { dev: boolean; immutablePrefix?: string; encodings?: readonly Encoding[] },
): Promise<PublicFiles> {
  const encodings = options.encodings ?? [];
  let files = await listFiles(dir);

  async function find(pathname: string): Promise<ListedFile | undefined> {
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
      const variants = encodings.length === 0 ? { file } : { file, br: files.get(`${file.key}.br`), gzip: files.get(`${file.key}.gz`) };
      const immutable = options.immutablePrefix !== undefined && pathname.startsWith(options.immutablePrefix);
      return serveFile(request, variants, { immutable, encodings });
    },
  };
}

interface ListedFile extends PublicFile {
  key: string;
}

async function listFiles(dir: string): Promise<Map<string, ListedFile>> {
  const out = new Map<string, ListedFile>();
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
    const key = "/" + rel.join("/");
    out.set(key, { key, path: full, size: info.size, mtimeMs: info.mtimeMs });
  }
  return out;
}
