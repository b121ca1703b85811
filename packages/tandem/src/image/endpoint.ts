import { availableParallelism } from "node:os";
import { HttpError } from "../errors/http-error.js";
import { ImageCache, cacheKeyOf, etagOf, type CachedImage } from "./cache.js";
import { IMAGE_PATH, type ImageConfig } from "./config.js";
import { detectImageType, isAnimated } from "./detect.js";
import { OUTPUT_TYPES, createLimiter, optimizeImage } from "./optimize.js";
import { fetchUpstream, parseImageUrl, type Upstream } from "./source.js";

export interface ImageEndpointOptions {
  config: ImageConfig;
  /** The app's .tandem/cache/images. */
  cacheDir: string;
  /** Answers a path of the app itself (public/, built assets, a route). */
  fetchLocal(path: string, request: Request): Promise<Response>;
  logger: Pick<Console, "error">;
  /** Milliseconds for a remote image to arrive in full; default 7000 (Next.js's). */
  timeout?: number;
  /** Images resized at once; default the CPU count, at most 4. */
  concurrency?: number;
}

const EXTENSIONS: Record<string, string> = {
  "image/avif": "avif",
  "image/webp": "webp",
  "image/png": "png",
  "image/jpeg": "jpeg",
  "image/gif": "gif",
  "image/svg+xml": "svg",
  "image/x-icon": "ico",
  "image/bmp": "bmp",
  "image/tiff": "tiff",
  "image/heic": "heic",
};

/** The first of images.formats the browser accepts (Accept: image/avif,image/webp,...), if any. */
function negotiate(accept: string | null, formats: readonly string[]): string | undefined {
  if (accept === null) return undefined;
  const accepted = accept.split(",").map((part) => part.split(";")[0]!.trim().toLowerCase());
  return formats.find((format) => accepted.includes(format));
}

function intParam(params: URLSearchParams, name: string): number | undefined {
  const value = params.get(name);
  return value !== null && /^\d{1,5}$/.test(value) ? Number.parseInt(value, 10) : undefined;
}

/**
 * GET /_tandem/image?url=&w=&q=: next/image's optimizing endpoint (Next.js's /_next/image). Reads
 * the image from the app or an allowed remote host, resizes it with sharp to `w`, encodes it as
 * the best of images.formats the browser accepts, and keeps the result on disk for at least
 * images.minimumCacheTTL. A stale entry is served at once and made again in the background.
 */
export function createImageEndpoint(options: ImageEndpointOptions): (request: Request) => Promise<Response | undefined> {
  const { config, logger } = options;
  const cache = new ImageCache(options.cacheDir);
  const limit = createLimiter(options.concurrency ?? Math.min(4, Math.max(1, availableParallelism())));
  const widths = new Set([...config.deviceSizes, ...config.imageSizes]);
  const timeout = options.timeout ?? 7000;
  // One making of an entry at a time: concurrent requests for it share the work.
  const making = new Map<string, Promise<CachedImage>>();

  async function make(
    target: ReturnType<typeof parseImageUrl>,
    request: Request,
    width: number,
    quality: number,
    format: string | undefined,
  ): Promise<CachedImage> {
    const upstream: Upstream = await fetchUpstream(target, { config, timeout, fetchLocal: (path) => options.fetchLocal(path, request) });
    const type = detectImageType(upstream.bytes);
    if (type === undefined)
      throw new HttpError(
        "TND_ERR_IMAGE_NOT_IMAGE",
        `${target.url.pathname} is not an image (content-type ${upstream.contentType ?? "none"})`,
      );
    if (type === "image/svg+xml" && !config.dangerouslyAllowSVG)
      throw new HttpError(
        "TND_ERR_IMAGE_SVG",
        `${target.url.pathname} is an SVG; set images.dangerouslyAllowSVG to serve SVG through the endpoint`,
      );
    const maxAge = Math.max(config.minimumCacheTTL, upstream.maxAge);
    let bytes = upstream.bytes;
    let contentType = type;
    // As Next.js: SVG, icons, bitmaps and animations are passed on unchanged (a resize would break them or lose frames).
    const passThrough =
      config.unoptimized || type === "image/svg+xml" || type === "image/x-icon" || type === "image/bmp" || isAnimated(bytes, type);
    if (!passThrough) {
      contentType = format ?? (OUTPUT_TYPES.has(type) ? type : type === "image/gif" ? "image/png" : "image/jpeg");
      bytes = await limit(() => optimizeImage(upstream.bytes, contentType, width, quality));
    }
    return { bytes, contentType, etag: etagOf(bytes), maxAge, expireAt: Date.now() + maxAge * 1000 };
  }

  function makeOnce(key: string, run: () => Promise<CachedImage>): Promise<CachedImage> {
    let pending = making.get(key);
    if (pending === undefined) {
      pending = run().then(async (image) => {
        await cache
          .set(key, image)
          .catch((error: unknown) => logger.error(`next/image: could not write the image cache: ${String(error)}`));
        return image;
      });
      making.set(key, pending);
      void pending.finally(() => making.delete(key)).catch(() => {});
    }
    return pending;
  }

  function respond(request: Request, image: CachedImage, status: "HIT" | "MISS" | "STALE", name: string): Response {
    const headers = new Headers({
      "content-type": image.contentType,
      "cache-control": `public, max-age=${image.maxAge}, must-revalidate`,
      vary: "Accept",
      etag: image.etag,
      "x-tandem-cache": status,
      "content-security-policy": config.contentSecurityPolicy,
      "content-disposition": `${config.contentDispositionType}; filename="${name}.${EXTENSIONS[image.contentType] ?? "bin"}"`,
      "x-content-type-options": "nosniff",
    });
    if (request.headers.get("if-none-match") === image.etag) return new Response(null, { status: 304, headers });
    return new Response(request.method === "HEAD" ? null : (image.bytes as Uint8Array<ArrayBuffer>), { headers });
  }

  return async (request) => {
    const url = new URL(request.url);
    if (!url.pathname.endsWith(IMAGE_PATH)) return undefined;
    try {
      return await answer(request, url);
    } catch (error) {
      if (!HttpError.is(error)) throw error;
      const response = error.toResponse();
      response.headers.set("cache-control", "no-store");
      return response;
    }
  };

  async function answer(request: Request, url: URL): Promise<Response> {
    if (request.method !== "GET" && request.method !== "HEAD") return new Response(null, { status: 405, headers: { allow: "GET, HEAD" } });
    const params = url.searchParams;
    const target = parseImageUrl(params.get("url"), IMAGE_PATH);
    const width = intParam(params, "w");
    if (width === undefined || !widths.has(width))
      throw new HttpError(
        "TND_ERR_IMAGE_WIDTH",
        `"w" parameter (width) must be one of images.deviceSizes or images.imageSizes: ${[...widths].sort((a, b) => a - b).join(", ")}`,
      );
    const quality = intParam(params, "q");
    if (quality === undefined || !config.qualities.includes(quality))
      throw new HttpError(
        "TND_ERR_IMAGE_QUALITY",
        `"q" parameter (quality) must be one of images.qualities: ${config.qualities.join(", ")}`,
      );
    const format = config.unoptimized ? undefined : negotiate(request.headers.get("accept"), config.formats);
    const key = cacheKeyOf(target.url.href, width, quality, format ?? "");
    const name = (target.url.pathname.split("/").pop() ?? "image").replace(/\.[^.]*$/, "").replace(/[^\w.-]/g, "_") || "image";
    const run = () => make(target, request, width, quality, format);
    const cached = await cache.get(key);
    if (cached !== undefined) {
      if (cached.expireAt > Date.now()) return respond(request, cached, "HIT", name);
      // Stale: this answer is the old image; the next ones get the new one (or the old one while it fails).
      makeOnce(key, run).catch((error: unknown) =>
        logger.error(`next/image: revalidating ${target.url.href} failed: ${error instanceof Error ? error.message : String(error)}`),
      );
      return respond(request, cached, "STALE", name);
    }
    return respond(request, await makeOnce(key, run), "MISS", name);
  }
}
