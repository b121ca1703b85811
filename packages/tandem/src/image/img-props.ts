import type { CSSProperties, ImgHTMLAttributes } from "react";
import type { ClientImageConfig } from "./config.js";

/** What `import hero from "./hero.png"` gives in Next.js. */
export interface StaticImageData {
  src: string;
  width: number;
  height: number;
  blurDataURL?: string;
  blurWidth?: number;
  blurHeight?: number;
}

export type StaticImport = StaticImageData | { default: StaticImageData };

export interface ImageLoaderProps {
  src: string;
  width: number;
  quality?: number;
}

export type ImageLoader = (props: ImageLoaderProps) => string;

export type PlaceholderValue = "empty" | "blur" | `data:image/${string}`;

type Numeric = number | `${number}`;

export type ImageProps = Omit<ImgHTMLAttributes<HTMLImageElement>, "src" | "srcSet" | "alt" | "width" | "height" | "loading"> & {
  src: string | StaticImport;
  alt: string;
  width?: Numeric | undefined;
  height?: Numeric | undefined;
  /** Fills the parent (which must be positioned): position absolute, 100% wide and high. */
  fill?: boolean | undefined;
  loader?: ImageLoader | undefined;
  quality?: Numeric | undefined;
  /** Deprecated in Next.js 16 for `preload`: preloads, loads eagerly, fetchPriority "high". */
  priority?: boolean | undefined;
  /** Preloads the image from the document head and loads it eagerly. */
  preload?: boolean | undefined;
  loading?: "lazy" | "eager" | undefined;
  placeholder?: PlaceholderValue | undefined;
  blurDataURL?: string | undefined;
  unoptimized?: boolean | undefined;
  /** The `src` attribute written, whatever the loader gives (srcset is kept). */
  overrideSrc?: string | undefined;
  /** @deprecated Use onLoad. */
  onLoadingComplete?: ((img: HTMLImageElement) => void) | undefined;
};

/** The attributes of the <img> element next/image writes. */
export type ImgProps = Omit<
  ImageProps,
  | "src"
  | "loader"
  | "fill"
  | "priority"
  | "preload"
  | "placeholder"
  | "blurDataURL"
  | "unoptimized"
  | "overrideSrc"
  | "quality"
  | "onLoadingComplete"
> & {
  src: string;
  srcSet: string | undefined;
  sizes: string | undefined;
  width: number | undefined;
  height: number | undefined;
  loading: "lazy" | "eager" | undefined;
  decoding: "async" | "sync" | "auto";
  style: CSSProperties;
};

export interface ImgMeta {
  unoptimized: boolean;
  preload: boolean;
  placeholder: PlaceholderValue;
  fill: boolean;
}

function isStaticImport(src: unknown): src is StaticImport {
  return typeof src === "object" && src !== null && ("default" in src || "src" in src);
}

function toInt(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number") return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value === "string" && /^\d+$/.test(value)) return Number.parseInt(value, 10);
  return Number.NaN;
}

/**
 * The candidate widths, as Next.js picks them: with `sizes`, every configured size down to the
 * smallest viewport share the sizes name ("w" descriptors); with a fixed width, the sizes covering
 * 1x and 2x ("x" descriptors, 3x screens gain nothing visible); with neither, the device sizes.
 */
export function widthsOf(
  config: ClientImageConfig,
  width: number | undefined,
  sizes: string | undefined,
): { widths: number[]; kind: "w" | "x" } {
  const deviceSizes = [...config.deviceSizes].sort((a, b) => a - b);
  const allSizes = [...config.deviceSizes, ...config.imageSizes].sort((a, b) => a - b);
  if (sizes) {
    const shares = [...sizes.matchAll(/(^|\s)(1?\d?\d)vw/g)].map((match) => Number.parseInt(match[2]!, 10));
    if (shares.length === 0) return { widths: allSizes, kind: "w" };
    const smallest = Math.min(...shares) / 100;
    return { widths: allSizes.filter((size) => size >= deviceSizes[0]! * smallest), kind: "w" };
  }
  if (typeof width !== "number") return { widths: deviceSizes, kind: "w" };
  const pick = (wanted: number) => allSizes.find((size) => size >= wanted) ?? allSizes[allSizes.length - 1]!;
  return { widths: [...new Set([pick(width), pick(width * 2)])], kind: "x" };
}

/** Next.js 16 rounds `quality` to the nearest allowed one, so that every URL is one the endpoint accepts. */
function closestQuality(quality: number | undefined, config: ClientImageConfig): number {
  const wanted = quality ?? 75;
  return config.qualities.reduce((best, q) => (Math.abs(q - wanted) < Math.abs(best - wanted) ? q : best), config.qualities[0] ?? wanted);
}

/** The blurred placeholder: the tiny image under an SVG blur filter, as Next.js draws it. */
function blurSvg(
  width: number | undefined,
  height: number | undefined,
  blurWidth: number | undefined,
  blurHeight: number | undefined,
  url: string,
  objectFit: unknown,
): string {
  const svgWidth = blurWidth ? blurWidth * 40 : width;
  const svgHeight = blurHeight ? blurHeight * 40 : height;
  const viewBox = svgWidth && svgHeight ? `viewBox='0 0 ${svgWidth} ${svgHeight}'` : "";
  const aspect = viewBox ? "none" : objectFit === "contain" ? "xMidYMid" : objectFit === "cover" ? "xMidYMid slice" : "none";
  return `%3Csvg xmlns='http://www.w3.org/2000/svg' ${viewBox}%3E%3Cfilter id='b' color-interpolation-filters='sRGB'%3E%3CfeGaussianBlur stdDeviation='20'/%3E%3CfeColorMatrix values='1 0 0 0 0 0 1 0 0 0 0 0 1 0 0 0 0 0 100 -1' result='s'/%3E%3CfeFlood x='0' y='0' width='100%25' height='100%25'/%3E%3CfeComposite operator='out' in='s'/%3E%3CfeComposite in2='SourceGraphic'/%3E%3CfeGaussianBlur stdDeviation='20'/%3E%3C/filter%3E%3Cimage width='100%25' height='100%25' x='0' y='0' preserveAspectRatio='${aspect}' style='filter: url(%23b);' href='${url}'/%3E%3C/svg%3E`;
}

function fail(src: string, problem: string): Error {
  return new Error(`Image with src "${src}" ${problem}`);
}

export interface ImgState {
  config: ClientImageConfig;
  /** The endpoint URL for one width (the default loader). */
  defaultLoader: (props: ImageLoaderProps) => string;
  blurComplete?: boolean;
  showAltText?: boolean;
}

/**
 * next/image's props turned into <img> attributes, as Next.js computes them (shared by the
 * component and `getImageProps`). Invalid combinations throw as Next.js does in development:
 * they are mistakes in the page, not in the request.
 */
export function toImgProps(props: ImageProps, state: ImgState): { props: ImgProps; meta: ImgMeta } {
  const {
    src: given,
    sizes,
    priority = false,
    preload = false,
    loading,
    className,
    quality,
    width,
    height,
    fill = false,
    style,
    overrideSrc,
    onLoad: _onLoad,
    onLoadingComplete: _complete,
    placeholder = "empty",
    fetchPriority: givenPriority,
    decoding = "async",
    loader: customLoader,
    ...rest
  } = props;
  let { blurDataURL, unoptimized = false } = props;
  delete (rest as Record<string, unknown>).blurDataURL;
  delete (rest as Record<string, unknown>).unoptimized;
  delete (rest as Record<string, unknown>).srcSet;
  const { config } = state;
  let widthInt = toInt(width);
  let heightInt = toInt(height);
  let blurWidth: number | undefined;
  let blurHeight: number | undefined;
  let src: string;
  if (isStaticImport(given)) {
    const data = "default" in given ? given.default : given;
    if (!data.src || !data.width || !data.height) {
      throw new Error(
        `An object passed as next/image's src must come from a static image import ({ src, width, height }); got ${JSON.stringify(data)}`,
      );
    }
    src = data.src;
    blurWidth = data.blurWidth;
    blurHeight = data.blurHeight;
    blurDataURL ||= data.blurDataURL;
    if (!fill) {
      if (!widthInt && !heightInt) {
        widthInt = data.width;
        heightInt = data.height;
      } else if (widthInt && !heightInt) heightInt = Math.round(data.height * (widthInt / data.width));
      else if (!widthInt && heightInt) widthInt = Math.round(data.width * (heightInt / data.height));
    }
  } else {
    src = typeof given === "string" ? given : "";
  }
  const eager = priority || preload;
  let lazy = !eager && (loading === "lazy" || loading === undefined);
  if (!src || src.startsWith("data:") || src.startsWith("blob:")) {
    unoptimized = true;
    lazy = false;
  }
  if (config.unoptimized) unoptimized = true;
  // SVG is served as it is unless the endpoint may rasterize it.
  if (customLoader === undefined && !config.dangerouslyAllowSVG && src.split("?", 1)[0]!.endsWith(".svg")) unoptimized = true;
  const fetchPriority = priority ? "high" : givenPriority;

  if (src) {
    if (fill) {
      if (width) throw fail(src, 'has both "width" and "fill" properties. Only one should be used.');
      if (height) throw fail(src, 'has both "height" and "fill" properties. Only one should be used.');
      if (style?.position && style.position !== "absolute")
        throw fail(src, 'has both "fill" and "style.position" properties. Images with "fill" always use position absolute.');
      if (style?.width && style.width !== "100%")
        throw fail(src, 'has both "fill" and "style.width" properties. Images with "fill" always use width 100%.');
      if (style?.height && style.height !== "100%")
        throw fail(src, 'has both "fill" and "style.height" properties. Images with "fill" always use height 100%.');
    } else {
      if (widthInt === undefined) throw fail(src, 'is missing required "width" property.');
      if (Number.isNaN(widthInt))
        throw fail(src, `has invalid "width" property. Expected a numeric value in pixels but received "${String(width)}".`);
      if (heightInt === undefined) throw fail(src, 'is missing required "height" property.');
      if (Number.isNaN(heightInt))
        throw fail(src, `has invalid "height" property. Expected a numeric value in pixels but received "${String(height)}".`);
    }
  }
  if (loading !== undefined && loading !== "lazy" && loading !== "eager")
    throw fail(src, `has invalid "loading" property "${String(loading)}"; use "lazy" or "eager".`);
  if (eager && loading === "lazy")
    throw fail(src, `has both "${priority ? "priority" : "preload"}" and "loading='lazy'" properties. Only one should be used.`);
  if (placeholder !== "empty" && placeholder !== "blur" && !placeholder.startsWith("data:image/"))
    throw fail(src, `has invalid "placeholder" property "${placeholder}".`);
  if (placeholder === "blur" && !blurDataURL)
    throw fail(src, 'has "placeholder=\'blur\'" but no "blurDataURL" property (a small data: URL of the image, or a static import).');

  const imgStyle: CSSProperties = Object.assign(
    // objectFit and objectPosition hold their place (as in Next.js), so style's values are written before color.
    fill
      ? {
          position: "absolute",
          height: "100%",
          width: "100%",
          left: 0,
          top: 0,
          right: 0,
          bottom: 0,
          objectFit: undefined,
          objectPosition: undefined,
        }
      : {},
    state.showAltText ? {} : { color: "transparent" },
    style,
  );
  const background =
    !state.blurComplete && placeholder !== "empty"
      ? placeholder === "blur"
        ? `url("data:image/svg+xml;charset=utf-8,${blurSvg(widthInt, heightInt, blurWidth, blurHeight, blurDataURL ?? "", imgStyle.objectFit)}")`
        : `url("${placeholder}")`
      : undefined;
  const placeholderStyle: CSSProperties = background
    ? {
        backgroundSize: imgStyle.objectFit || "cover",
        backgroundPosition: imgStyle.objectPosition || "50% 50%",
        backgroundRepeat: "no-repeat",
        backgroundImage: background,
      }
    : {};

  const loader: (p: ImageLoaderProps) => string = customLoader ?? state.defaultLoader;
  const q = toInt(quality);
  const qualityFor = customLoader === undefined ? closestQuality(q, config) : q;
  let attrs: { src: string; srcSet: string | undefined; sizes: string | undefined };
  if (unoptimized) attrs = { src, srcSet: undefined, sizes: undefined };
  else {
    const { widths, kind } = widthsOf(config, widthInt, sizes);
    const at = (w: number) => loader(qualityFor === undefined ? { src, width: w } : { src, width: w, quality: qualityFor });
    attrs = {
      sizes: !sizes && kind === "w" ? "100vw" : sizes,
      srcSet: widths.map((w, i) => `${at(w)} ${kind === "w" ? w : i + 1}${kind}`).join(", "),
      src: at(widths[widths.length - 1]!),
    };
  }
  const out: ImgProps = {
    ...rest,
    alt: props.alt,
    loading: lazy ? "lazy" : loading,
    fetchPriority,
    width: widthInt,
    height: heightInt,
    decoding,
    className,
    style: { ...imgStyle, ...placeholderStyle },
    sizes: attrs.sizes,
    srcSet: attrs.srcSet,
    src: overrideSrc || attrs.src,
  };
  return { props: out, meta: { unoptimized, preload: eager, placeholder, fill } };
}
