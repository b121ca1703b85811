// next/image. Not a Client Component itself, as in Next.js: getImageProps also runs in Server
// Components; the Image component comes from its "use client" module.
import { toImgProps, type ImageProps, type ImgProps } from "./img-props.js";
import { clientImageConfig, defaultLoader } from "./loader.js";

export { default } from "./image-component.js";
export type { ImageLoader, ImageLoaderProps, ImageProps, ImgProps, PlaceholderValue, StaticImageData, StaticImport } from "./img-props.js";

/**
 * The attributes next/image would give its <img>, for <picture>, art direction or a CSS
 * background (`image-set()`); unset attributes are left out, as Next.js does.
 */
export function getImageProps(props: ImageProps): { props: ImgProps } {
  const { props: img } = toImgProps(props, { config: clientImageConfig, defaultLoader });
  for (const key of Object.keys(img) as (keyof ImgProps)[]) if (img[key] === undefined) delete img[key];
  return { props: img };
}
