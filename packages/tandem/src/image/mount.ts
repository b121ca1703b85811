import { readFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { IMAGE_PATH, toImageConfig } from "./config.js";
import { TandemError } from "../errors/tandem-error.js";

export interface ImageMountOptions {
  root: string;
  /** next.config `images` as the build stored it (already checked). */
  images: Record<string, unknown> | undefined;
  /** The app's own handler, for local images. */
  handle(request: Request): Response | Promise<Response>;
  logger: Pick<Console, "error">;
  /** Dev: Vite's middleware, not the app, serves source assets (a static image import's URL). */
  dev: boolean;
}

/**
 * /_tandem/image for the runtime. The endpoint (and sharp) load on its first request: an app that
 * never shows an optimized image pays nothing at startup.
 */
export function imageMount(options: ImageMountOptions): { prefix: string; handle(request: Request): Promise<Response | undefined> } {
  const config = toImageConfig(options.images, (message) => new TandemError("TND_ERR_NEXT_CONFIG", message));
  let endpoint: Promise<(request: Request) => Promise<Response | undefined>> | undefined;
  return {
    prefix: IMAGE_PATH,
    async handle(request) {
      endpoint ??= import("./endpoint.js").then(({ createImageEndpoint }) =>
        createImageEndpoint({
          config,
          cacheDir: join(options.root, ".tandem", "cache", "images"),
          logger: options.logger,
          // Without the visitor's cookies: the cached result is shared by everyone.
          fetchLocal: async (path, incoming) => {
            const url = new URL(path, incoming.url);
            const response = await options.handle(new Request(url, { headers: { accept: "image/*" } }));
            if (response.status !== 404 || !options.dev) return response;
            await response.body?.cancel();
            return (await devSourceImage(options.root, url.pathname)) ?? new Response(null, { status: 404 });
          },
        }),
      );
      return (await endpoint)(request);
    },
  };
}

/**
 * Dev: a static image import's URL is the source file's path below the project ("/images/hero.png"),
 * which Vite, not the app, would serve. Only image files inside the project are read.
 */
async function devSourceImage(root: string, pathname: string): Promise<Response | undefined> {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (!/\.(png|jpe?g|gif|webp|avif)$/i.test(path)) return undefined;
  const file = resolve(root, `.${path}`);
  const inside = relative(root, file);
  if (inside.startsWith("..") || inside.split(sep).includes("node_modules")) return undefined;
  try {
    return new Response(await readFile(file));
  } catch {
    return undefined;
  }
}
