import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Font, SatoriOptions } from "satori";
import { TandemError } from "../errors/tandem-error.js";
import { requirePackages } from "../optional/require-package.js";
import type { ImageSettings } from "./options.js";

const require = createRequire(import.meta.url);
const PURPOSE = "ImageResponse (next/og)";
const DEFAULT_FONT = "@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff";
const EMOJI = "@twemoji/svg";

type Renderer = { satori: (element: unknown, options: SatoriOptions) => Promise<string>; resvg: typeof import("@resvg/resvg-js") };
let renderer: Promise<Renderer> | undefined;
let defaultFont: Promise<Font> | undefined;
// Emoji pictures by file name; at most the few thousand @twemoji/svg has.
const emoji = new Map<string, Promise<string>>();

/** satori and resvg, optional peers: loaded with the first image, not with next/og or next/server. */
function loadRenderer(): Promise<Renderer> {
  renderer ??= (async () => {
    requirePackages(["satori", "@resvg/resvg-js"], PURPOSE);
    // require, not import(): an app bundle that carries next/server (ImageResponse is one of its
    // exports) must not pull resvg's native binary, or satori, into itself.
    const satori = require("satori") as { default: Renderer["satori"] };
    const resvg = require("@resvg/resvg-js") as Renderer["resvg"];
    return { satori: satori.default, resvg };
  })().catch((error: unknown) => {
    renderer = undefined;
    throw error;
  });
  return renderer;
}

/** Noto Sans Latin Regular, the font Next.js draws with when given none. */
function loadDefaultFont(): Promise<Font> {
  defaultFont ??= (async () => {
    requirePackages(["@fontsource/noto-sans"], `${PURPOSE} without a fonts option`);
    const data = await readFile(require.resolve(DEFAULT_FONT));
    return { name: "Noto Sans", data, weight: 400, style: "normal" } satisfies Font;
  })().catch((error: unknown) => {
    defaultFont = undefined;
    throw error;
  });
  return defaultFont;
}

/** Twemoji's file name for an emoji: its code points in hex; U+FE0F dropped unless joined by a ZWJ. */
export function toEmojiName(segment: string): string {
  const text = segment.includes("\u200d") ? segment : segment.replaceAll("\ufe0f", "");
  return [...text].map((char) => char.codePointAt(0)!.toString(16)).join("-");
}

/** An emoji as a data URL for satori, read from the installed @twemoji/svg; "" for one it lacks. */
function loadEmoji(segment: string): Promise<string> {
  const name = toEmojiName(segment);
  let picture = emoji.get(name);
  if (picture === undefined) {
    requirePackages([EMOJI], `${PURPOSE} with an emoji in its text`);
    picture = readFile(require.resolve(`${EMOJI}/${name}.svg`)).then(
      (svg) => `data:image/svg+xml;base64,${svg.toString("base64")}`,
      () => "",
    );
    emoji.set(name, picture);
  }
  return picture;
}

/**
 * The element as PNG bytes: satori lays it out as SVG, resvg draws that on the libuv thread pool
 * (the event loop keeps serving while it does). Text in scripts the fonts lack is left out, as
 * Tandem fetches no fonts at run time: pass fonts for them.
 */
export async function renderPng(settings: ImageSettings): Promise<Uint8Array> {
  const [{ satori, resvg }, fonts] = await Promise.all([loadRenderer(), settings.fonts ?? loadDefaultFont().then((font) => [font])]);
  let svg: string;
  // satori does not await every asset it asks for: one that failed must not reject unobserved.
  let assetError: unknown;
  try {
    svg = await satori(settings.element, {
      width: settings.width,
      height: settings.height,
      fonts: fonts as Font[],
      debug: settings.debug,
      loadAdditionalAsset: async (code, segment) => {
        if (code !== "emoji") return [];
        try {
          return await loadEmoji(segment);
        } catch (error) {
          assetError ??= error;
          return "";
        }
      },
    });
  } catch (error) {
    throw assetError ?? renderError("lay out its element", error);
  }
  if (assetError !== undefined) throw assetError;
  try {
    const image = await resvg.renderAsync(svg, { fitTo: { mode: "width", value: settings.width }, font: { loadSystemFonts: false } });
    return image.asPng();
  } catch (error) {
    throw renderError("draw its image", error);
  }
}

function renderError(what: string, error: unknown): TandemError {
  if (error instanceof TandemError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new TandemError("TND_ERR_OG_RENDER", `ImageResponse could not ${what}: ${reason}`, { cause: error });
}
