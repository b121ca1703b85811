import { createHash, randomUUID } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** One optimized image as stored: its bytes and what its response says. */
export interface CachedImage {
  bytes: Uint8Array;
  contentType: string;
  etag: string;
  /** Seconds it is fresh for after it was made. */
  maxAge: number;
  /** Epoch milliseconds after which it is stale. */
  expireAt: number;
}

export function cacheKeyOf(...parts: (string | number)[]): string {
  return createHash("sha256").update(parts.join("\0")).digest("base64url");
}

export function etagOf(bytes: Uint8Array): string {
  return `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 27)}"`;
}

/**
 * Optimized images on disk (the app's .tandem/cache/images), shared by every process of the app
 * and kept across restarts: each entry is a body file and a small JSON file beside it, each
 * written to a temporary name and renamed, so a reader never sees half an entry's file.
 */
export class ImageCache {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  async get(key: string): Promise<CachedImage | undefined> {
    try {
      const [meta, bytes] = await Promise.all([readFile(join(this.#dir, `${key}.json`), "utf8"), readFile(join(this.#dir, `${key}.bin`))]);
      const { contentType, etag, maxAge, expireAt } = JSON.parse(meta) as Omit<CachedImage, "bytes">;
      // The two files are renamed one after the other: a body from another version has another ETag.
      if (etagOf(bytes) !== etag) return undefined;
      return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), contentType, etag, maxAge, expireAt };
    } catch {
      return undefined;
    }
  }

  async set(key: string, image: CachedImage): Promise<void> {
    // Every time: the folder may have been removed while the app runs (a cache cleared by hand).
    await mkdir(this.#dir, { recursive: true });
    const { bytes, ...meta } = image;
    const temp = join(this.#dir, `.${key}.${randomUUID()}`);
    await writeFile(`${temp}.bin`, bytes);
    await writeFile(`${temp}.json`, JSON.stringify(meta));
    await rename(`${temp}.bin`, join(this.#dir, `${key}.bin`));
    await rename(`${temp}.json`, join(this.#dir, `${key}.json`));
  }
}
