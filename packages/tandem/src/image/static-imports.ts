import { basename } from "node:path";
import type { Plugin } from "vite";
import { requirePackages } from "../optional/require-package.js";
import type { StaticImageData } from "./img-props.js";

const QUERY = "?tandem-static-image";
const IMAGE_FILE = /\.(png|jpe?g|gif|webp|avif)$/i;
const SCRIPT = /\.[cm]?[jt]sx?$/;
/** Next.js's blur placeholder: at most 8 px on the long side. */
const BLUR_SIZE = 8;

/** Width, height and the blur placeholder of one image file, read with sharp. */
async function staticImageData(file: string): Promise<Omit<StaticImageData, "src">> {
  requirePackages(["sharp"], `A static image import (${basename(file)})`);
  const sharp = (await import("sharp")).default;
  const meta = await sharp(file).metadata();
  // EXIF orientation 5-8 turns the image: the browser shows it with width and height swapped.
  const turned = (meta.orientation ?? 1) >= 5;
  const width = turned ? meta.height : meta.width;
  const height = turned ? meta.width : meta.height;
  if (!width || !height) throw new Error(`${file}: sharp could not read the image's size`);
  const blurWidth = width >= height ? BLUR_SIZE : Math.max(1, Math.round((width / height) * BLUR_SIZE));
  const blurHeight = width >= height ? Math.max(1, Math.round((height / width) * BLUR_SIZE)) : BLUR_SIZE;
  // Animated images get no placeholder (Next.js gives none either).
  if ((meta.pages ?? 1) > 1) return { width, height };
  const format = meta.format === "jpeg" || meta.format === "png" || meta.format === "webp" ? meta.format : "png";
  const tiny = await sharp(file).rotate().resize(blurWidth, blurHeight).toFormat(format, { quality: 70 }).toBuffer();
  return { width, height, blurDataURL: `data:image/${format};base64,${tiny.toString("base64")}`, blurWidth, blurHeight };
}

/**
 * `import hero from "./hero.png"` in the app's code gives Next.js's `{ src, width, height,
 * blurDataURL, blurWidth, blurHeight }` for next/image, in every environment, instead of Vite's
 * URL string; `src` is still Vite's asset URL (`?url`), hashed in a build. CSS `url()` and
 * explicit queries (`?url`, `?raw`) are Vite's as before.
 */
export function staticImageImports(): Plugin {
  return {
    name: "tandem:static-image-imports",
    enforce: "pre",
    async resolveId(source, importer, options) {
      if (importer === undefined || source.includes("?") || !IMAGE_FILE.test(source)) return undefined;
      if (!SCRIPT.test(importer.split("?", 1)[0]!)) return undefined;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (resolved === null || resolved.external) return undefined;
      return resolved.id + QUERY;
    },
    async load(id) {
      if (!id.endsWith(QUERY)) return undefined;
      const file = id.slice(0, -QUERY.length);
      this.addWatchFile(file);
      const data = await staticImageData(file);
      return `import src from ${JSON.stringify(`./${basename(file)}?url`)};\nexport default { src, ...${JSON.stringify(data)} };\n`;
    },
  };
}
