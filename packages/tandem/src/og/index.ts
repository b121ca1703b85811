/**
 * The `tandem/next-og` subpath; the build rewrites `next/og` imports here. satori, @resvg/resvg-js
 * and the default font are optional peers, loaded with the first image.
 */
export { ImageResponse } from "./image-response.js";
export type { ImageResponseOptions, ImageFont, FontWeight } from "./options.js";
