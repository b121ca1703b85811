import { TandemError } from "../errors/tandem-error.js";

export type FontWeight = 100 | 200 | 300 | 400 | 500 | 600 | 700 | 800 | 900;

/** A font for ImageResponse, as in Next.js: TTF, OTF or WOFF data (satori reads no WOFF2). */
export interface ImageFont {
  name: string;
  data: ArrayBuffer | ArrayBufferView;
  weight?: FontWeight;
  style?: "normal" | "italic";
  lang?: string;
}

/** next/og's ImageResponse options: the image, then the response. */
export interface ImageResponseOptions {
  /** Default 1200. */
  width?: number;
  /** Default 630. */
  height?: number;
  /** Default Noto Sans Latin Regular (from @fontsource/noto-sans). */
  fonts?: ImageFont[];
  /** Only "twemoji" (the default): Tandem draws emoji from the installed @twemoji/svg, not a CDN. */
  emoji?: "twemoji";
  /** Draws satori's layout boxes over the image. */
  debug?: boolean;
  status?: number;
  statusText?: string;
  headers?: HeadersInit;
}

/** What the renderer needs, checked. */
export interface ImageSettings {
  element: object;
  width: number;
  height: number;
  fonts: ImageFont[] | undefined;
  debug: boolean;
}

/** A side longer than this is refused: an RGBA bitmap of 8192 x 8192 is already 256 MiB. */
export const MAX_SIDE = 8192;

const WEIGHTS = new Set([100, 200, 300, 400, 500, 600, 700, 800, 900]);

function invalid(message: string): TandemError {
  return new TandemError("TND_ERR_OG_INVALID", `ImageResponse: ${message}`);
}

function side(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_SIDE) {
    throw invalid(`${name} must be an integer from 1 to ${MAX_SIDE}, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}

function isElement(value: unknown): value is object {
  return typeof value === "object" && value !== null && "type" in value && "props" in value;
}

/**
 * Checks what can be checked before rendering, so that a mistake throws in the handler (a 500
 * whose log names it) instead of failing the body after the status line has gone out.
 */
export function toImageSettings(element: unknown, options: ImageResponseOptions): ImageSettings {
  if (!isElement(element)) {
    throw invalid(
      `the first argument must be a React element (JSX such as <div>...</div>), got ${element === null ? "null" : typeof element}`,
    );
  }
  if (options.emoji !== undefined && options.emoji !== "twemoji") {
    throw invalid(
      `emoji "${String(options.emoji)}" is not available in Tandem, which draws emoji from @twemoji/svg: use "twemoji" or leave it out`,
    );
  }
  const fonts = options.fonts;
  if (fonts !== undefined) {
    if (!Array.isArray(fonts) || fonts.length === 0) throw invalid("fonts must be a non-empty array of { name, data, weight?, style? }");
    fonts.forEach((font: ImageFont, index) => {
      if (typeof font?.name !== "string" || font.name === "") throw invalid(`fonts[${index}] has no name`);
      if (!(font.data instanceof ArrayBuffer) && !ArrayBuffer.isView(font.data)) {
        throw invalid(`fonts[${index}] ("${font.name}") needs its data as an ArrayBuffer or Buffer (read the .ttf, .otf or .woff file)`);
      }
      if (font.weight !== undefined && !WEIGHTS.has(font.weight))
        throw invalid(`fonts[${index}] ("${font.name}") weight must be 100, 200 ... 900`);
      if (font.style !== undefined && font.style !== "normal" && font.style !== "italic") {
        throw invalid(`fonts[${index}] ("${font.name}") style must be "normal" or "italic"`);
      }
    });
  }
  return {
    element,
    width: side("width", options.width, 1200),
    height: side("height", options.height, 630),
    fonts,
    debug: options.debug === true,
  };
}
