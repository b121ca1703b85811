import { existsSync } from "node:fs";
import { dirname, extname, resolve } from "node:path";
import { fontError, show, type FontCall } from "./fail.js";
import type { Literal } from "./literal.js";
import {
  booleanOption,
  checkAdjustFontFallback,
  displayOption,
  fallbackOption,
  stringOption,
  toOptions,
  variableOption,
} from "./options.js";
import type { FontDefinition, FontFace } from "./types.js";

const OPTIONS = ["src", "display", "weight", "style", "adjustFontFallback", "fallback", "preload", "variable", "declarations"];

/** The formats next/font/local takes, by extension, as Next.js maps them. */
const FORMATS: Record<string, string> = {
  ".woff2": "woff2",
  ".woff": "woff",
  ".ttf": "truetype",
  ".otf": "opentype",
  ".eot": "embedded-opentype",
};
/** Descriptors the loader writes itself: a declaration may not set them. */
const RESERVED = ["src", "font-display", "font-family"];

function toSource(call: FontCall, importer: string, path: string, where: string): { file: string; format: string } {
  const format = FORMATS[extname(path).toLowerCase()];
  if (format === undefined) {
    throw fontError(
      call,
      "TND_ERR_FONT_OPTION",
      `unexpected file ${show(path)} in \`${where}\`: a font file ends in ${Object.keys(FORMATS).join(", ")}`,
    );
  }
  const file = resolve(dirname(importer), path);
  if (!existsSync(file))
    throw fontError(
      call,
      "TND_ERR_FONT_OPTION",
      `font file not found: ${show(path)} in \`${where}\` (paths are relative to the calling file)`,
    );
  return { file, format };
}

/**
 * A next/font/local call: `src` is one file (with the top-level `weight` and `style`) or a list of
 * `{ path, weight, style }`, each an `@font-face` of one family, as Next.js writes them.
 */
export function defineLocalFont(call: FontCall, importer: string, family: string, argument: Literal | undefined): FontDefinition {
  if (argument === undefined) throw fontError(call, "TND_ERR_FONT_OPTION", "missing required `src` property");
  const options = toOptions(call, argument, OPTIONS);
  const weight = stringOption(call, options, "weight");
  const style = stringOption(call, options, "style");
  const src = options.src;
  const entries: { path: string; weight?: string; style?: string; where: string }[] = [];
  if (typeof src === "string") entries.push({ path: src, where: "src" });
  else if (Array.isArray(src) && src.length > 0) {
    src.forEach((entry, index) => {
      const where = `src[${index}]`;
      if (typeof entry !== "object" || entry === null || Array.isArray(entry) || typeof entry.path !== "string") {
        throw fontError(call, "TND_ERR_FONT_OPTION", `\`${where}\` must be { path, weight?, style? } with a string path`);
      }
      for (const key of Object.keys(entry)) {
        if (!["path", "weight", "style"].includes(key))
          throw fontError(call, "TND_ERR_FONT_OPTION", `unknown key \`${key}\` in \`${where}\`: path, weight, style`);
      }
      for (const key of ["weight", "style"] as const) {
        if (entry[key] !== undefined && typeof entry[key] !== "string")
          throw fontError(call, "TND_ERR_FONT_OPTION", `\`${where}.${key}\` must be a string`);
      }
      entries.push({
        path: entry.path,
        where,
        ...(typeof entry.weight === "string" ? { weight: entry.weight } : {}),
        ...(typeof entry.style === "string" ? { style: entry.style } : {}),
      });
    });
  } else if (src === undefined) throw fontError(call, "TND_ERR_FONT_OPTION", "missing required `src` property");
  else throw fontError(call, "TND_ERR_FONT_OPTION", "`src` must be a path or a non-empty array of { path, weight?, style? }");

  const declarations = toDeclarations(call, options.declarations);
  checkAdjustFontFallback(call, options, ["Arial", "Times New Roman", false]);
  const preload = booleanOption(call, options, "preload", true);
  const faces: FontFace[] = entries.map((entry) => {
    const face: FontFace = { src: [toSource(call, importer, entry.path, entry.where)] };
    const faceWeight = entry.weight ?? weight;
    const faceStyle = entry.style ?? style;
    if (faceWeight !== undefined) face.weight = faceWeight;
    if (faceStyle !== undefined) face.style = faceStyle;
    if (declarations.length > 0) face.declarations = declarations;
    return face;
  });
  const definition: FontDefinition = {
    family,
    faces,
    display: displayOption(call, options),
    preload: preload
      ? faces.map((face) => ({ file: face.src[0]!.file, type: `font/${extname(face.src[0]!.file).slice(1).toLowerCase()}` }))
      : [],
    fallback: fallbackOption(call, options),
  };
  // The returned style names one weight or style only when the call gave one (a range is not one).
  const single = (values: (string | undefined)[]): string | undefined => {
    const set = new Set(values);
    const [only] = set;
    return set.size === 1 && only !== undefined && !only.includes(" ") ? only : undefined;
  };
  const oneWeight = weight !== undefined ? single([weight]) : single(faces.map((face) => face.weight));
  const oneStyle = style !== undefined ? single([style]) : single(faces.map((face) => face.style));
  if (oneWeight !== undefined) definition.weight = oneWeight;
  if (oneStyle !== undefined) definition.style = oneStyle;
  const variable = variableOption(call, options);
  if (variable !== undefined) definition.variable = variable;
  return definition;
}

function toDeclarations(call: FontCall, value: Literal | undefined): { prop: string; value: string }[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw fontError(call, "TND_ERR_FONT_OPTION", "`declarations` must be an array of { prop, value }");
  return value.map((item, index) => {
    if (
      typeof item !== "object" ||
      item === null ||
      Array.isArray(item) ||
      typeof item.prop !== "string" ||
      typeof item.value !== "string"
    ) {
      throw fontError(call, "TND_ERR_FONT_OPTION", `\`declarations[${index}]\` must be { prop: string, value: string }`);
    }
    if (RESERVED.includes(item.prop) || !/^[a-z-]+$/.test(item.prop) || /[;{}]/.test(item.value)) {
      throw fontError(
        call,
        "TND_ERR_FONT_OPTION",
        `invalid declaration \`${item.prop}\` in \`declarations[${index}]\` (${RESERVED.join(", ")} are set by the loader)`,
      );
    }
    return { prop: item.prop, value: item.value };
  });
}
