import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import * as zlib from "node:zlib";
import { contentTypeFor } from "../static/content-type.js";
import { isCompressible } from "./compressible.js";

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * Writes `.br` and `.gz` siblings of the built client assets, at the highest levels (build time
 * pays once what every request would pay again); the static file server sends them to clients
 * that accept them. A sibling that saves less than a tenth is not written.
 */
export async function precompressAssets(dir: string, threshold: number): Promise<number> {
  let entries: string[];
  try {
    entries = await readdir(dir, { recursive: true });
  } catch {
    return 0;
  }
  let written = 0;
  await Promise.all(
    entries.map(async (name) => {
      if (name.endsWith(".br") || name.endsWith(".gz") || !isCompressible(contentTypeFor(name))) return;
      const file = join(dir, name);
      let body: Buffer;
      try {
        body = await readFile(file);
      } catch {
        return; // a folder
      }
      if (body.byteLength < threshold) return;
      const [br, gz] = await Promise.all([
        brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength } }),
        gzip(body, { level: 9 }),
      ]);
      for (const [encoded, suffix] of [
        [br, ".br"],
        [gz, ".gz"],
      ] as const) {
        if (encoded.byteLength > body.byteLength * 0.9) continue;
        await writeFile(file + suffix, encoded);
        written++;
      }
    }),
  );
  return written;
}
