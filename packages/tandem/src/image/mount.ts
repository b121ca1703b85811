import { join } from "node:path";
import { IMAGE_PATH, toImageConfig } from "./config.js";
import { TandemError } from "../errors/tandem-error.js";

export interface ImageMountOptions {
  root: string;
  /** next.config `images` as the build stored it (already checked). */
  images: Record<string, unknown> | undefined;
  /** The app's own handler, for local images. */
  handle(request: Request): Response | Promise<Response>;
  logger: Pick<Console, "error">;
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
          fetchLocal: async (path, incoming) =>
            options.handle(new Request(new URL(path, incoming.url), { headers: { accept: "image/*" } })),
        }),
      );
      return (await endpoint)(request);
    },
  };
}
