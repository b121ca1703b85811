import type { Sharp } from "sharp";
import { HttpError } from "../errors/http-error.js";
import { requirePackages } from "../optional/require-package.js";

type SharpFactory = typeof import("sharp")["default"];
let loading: Promise<SharpFactory> | undefined;

/** sharp, an optional peer, loaded on the first image that needs resizing. */
function loadSharp(): Promise<SharpFactory> {
  if (loading === undefined) {
    const pending = (async () => {
      try {
        requirePackages(["sharp"], "next/image's optimizing endpoint (/_tandem/image)");
      } catch (error) {
        // The message (the npm command) is the answer: the request cannot be served without it.
        throw new HttpError("TND_ERR_MISSING_PACKAGE", error instanceof Error ? error.message : String(error));
      }
      const sharp = (await import("sharp")).default;
      // Requests are already bounded by the endpoint; libvips' own threads stay at one per job.
      sharp.concurrency(1);
      return sharp;
    })();
    pending.catch(() => {
      loading = undefined;
    });
    loading = pending;
  }
  return loading;
}

export const OUTPUT_TYPES = new Set(["image/avif", "image/webp", "image/png", "image/jpeg"]);

/** Resizes to at most `width` (never enlarges) and encodes as `type` at `quality`. */
export async function optimizeImage(bytes: Uint8Array, type: string, width: number, quality: number): Promise<Uint8Array> {
  const sharp = await loadSharp();
  let pipeline: Sharp = sharp(bytes, { sequentialRead: true, failOn: "error" }).rotate().resize({ width, withoutEnlargement: true });
  if (type === "image/avif") pipeline = pipeline.avif({ quality: Math.max(quality - 20, 1), effort: 3 });
  else if (type === "image/webp") pipeline = pipeline.webp({ quality });
  else if (type === "image/png") pipeline = pipeline.png({ quality });
  else pipeline = pipeline.jpeg({ quality, mozjpeg: true });
  try {
    return new Uint8Array(await pipeline.toBuffer());
  } catch (error) {
    throw new HttpError(
      "TND_ERR_IMAGE_NOT_IMAGE",
      `the image could not be decoded: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/** At most `limit` tasks at once; the others wait their turn (sharp is CPU-bound). */
export function createLimiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
