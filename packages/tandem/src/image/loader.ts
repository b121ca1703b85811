import { IMAGE_DEFAULTS, IMAGE_PATH, toClientImageConfig, type ClientImageConfig } from "./config.js";
import type { ImageLoaderProps } from "./img-props.js";

// The app's build defines these (build/vite-config.ts): next.config `images` and basePath. Outside
// Vite (a test importing this file) there is no import.meta.env, and Next.js's defaults apply.
const env = import.meta.env as Record<string, unknown> | undefined;
const BASE = String(env?.BASE_URL ?? "/").replace(/\/$/, "");

export const clientImageConfig: ClientImageConfig =
  (env?.TANDEM_IMAGES as ClientImageConfig | undefined) ?? toClientImageConfig(IMAGE_DEFAULTS);

/** next/image's default loader: the optimizing endpoint, below basePath. */
export function defaultLoader({ src, width, quality }: ImageLoaderProps): string {
  if (src.startsWith("//")) {
    throw new Error(`next/image src "${src}" is protocol-relative; write it with http:// or https://`);
  }
  return `${BASE}${IMAGE_PATH}?url=${encodeURIComponent(src)}&w=${width}&q=${quality ?? 75}`;
}
