import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fontError, show, type FontCall } from "./fail.js";
import {
  booleanOption,
  checkAdjustFontFallback,
  displayOption,
  fallbackOption,
  listOption,
  toOptions,
  variableOption,
  type Options,
} from "./options.js";
import type { Literal } from "./literal.js";
import type { FontDefinition, FontFace } from "./types.js";

const OPTIONS = ["weight", "style", "display", "preload", "subsets", "axes", "fallback", "adjustFontFallback", "variable"];

/** A Fontsource package's metadata.json, the part read here. */
interface Metadata {
  id: string;
  family: string;
  subsets: string[];
  weights: number[];
  styles: string[];
  variable?: Record<string, { min: string; max: string }> | false;
}

interface Package {
  dir: string;
  metadata: Metadata;
  unicode: Record<string, string>;
}

function loadPackage(root: string, name: string): Package | undefined {
  let file: string;
  try {
    file = createRequire(join(root, "package.json")).resolve(`${name}/metadata.json`);
  } catch {
    return undefined;
  }
  const dir = dirname(file);
  const metadata = JSON.parse(readFileSync(file, "utf8")) as Metadata;
  const unicodeFile = join(dir, "unicode.json");
  const unicode = existsSync(unicodeFile) ? (JSON.parse(readFileSync(unicodeFile, "utf8")) as Record<string, string>) : {};
  return { dir, metadata, unicode };
}

function list(values: readonly (string | number)[]): string {
  return values.map((v) => `\`${v}\``).join(", ");
}

/** `Roboto_Mono` (next/font/google's export name) is Fontsource's `roboto-mono`. */
export function toFontsourceId(loader: string): string {
  return loader.replaceAll("_", "-").toLowerCase();
}

/**
 * A next/font/google call, self-hosted from the app's `@fontsource/<id>` (static weights) or
 * `@fontsource-variable/<id>` (no weight, or "variable"): Google Fonts is not downloaded, and
 * Fontsource publishes Google's files with the metadata Next.js's own font data holds.
 */
export function defineGoogleFont(call: FontCall, root: string, argument: Literal | undefined): FontDefinition {
  const options = toOptions(call, argument, OPTIONS);
  const id = toFontsourceId(call.loader);
  const weights = listOption(call, options, "weight");
  const variable = weights === undefined || weights.includes("variable");
  if (variable && weights !== undefined && weights.length > 1) {
    throw fontError(
      call,
      "TND_ERR_FONT_OPTION",
      "unexpected `variable` in the weight array: `variable` alone includes all available weights",
    );
  }
  const staticName = `@fontsource/${id}`;
  const variableName = `@fontsource-variable/${id}`;
  const pkg = loadPackage(root, variable ? variableName : staticName);
  if (pkg === undefined) {
    const other = loadPackage(root, variable ? staticName : variableName);
    if (variable && other !== undefined && !other.metadata.variable) {
      throw fontError(
        call,
        "TND_ERR_FONT_OPTION",
        `missing weight for font \`${other.metadata.family}\`. Available weights: ${list(other.metadata.weights)}`,
      );
    }
    const wanted = variable ? `${variableName} (the variable font, as no weight is given)` : staticName;
    throw fontError(
      call,
      "TND_ERR_FONT_NOT_INSTALLED",
      `Tandem self-hosts Google fonts from Fontsource; install ${wanted}: npm install ${variable ? variableName : staticName}` +
        (other === undefined ? ` (no Fontsource package is named "${id}": check the font's name)` : ""),
    );
  }
  return fromPackage(call, pkg, options, variable ? undefined : weights!);
}

function fromPackage(call: FontCall, pkg: Package, options: Options, weights: string[] | undefined): FontDefinition {
  const { metadata } = pkg;
  const family = metadata.family;
  if (weights !== undefined) {
    for (const weight of weights) {
      if (!metadata.weights.map(String).includes(weight)) {
        throw fontError(
          call,
          "TND_ERR_FONT_OPTION",
          `unknown weight ${show(weight)} for font \`${family}\`. Available weights: ${list(metadata.weights)}`,
        );
      }
    }
  }
  // An italic-only font has no "normal" to default to.
  const styles = listOption(call, options, "style") ?? [metadata.styles.includes("normal") ? "normal" : metadata.styles[0]!];
  for (const style of styles) {
    if (!metadata.styles.includes(style)) {
      throw fontError(
        call,
        "TND_ERR_FONT_OPTION",
        `unknown style ${show(style)} for font \`${family}\`. Available styles: ${list(metadata.styles)}`,
      );
    }
  }
  const preload = booleanOption(call, options, "preload", true);
  const subsets = listOption(call, options, "subsets") ?? [];
  if (preload && subsets.length === 0) {
    throw fontError(
      call,
      "TND_ERR_FONT_OPTION",
      `preload is enabled but no subsets were specified for font \`${family}\`. Specify subsets or set preload: false. Available subsets: ${list(metadata.subsets)}`,
    );
  }
  for (const subset of subsets) {
    if (!metadata.subsets.includes(subset)) {
      throw fontError(
        call,
        "TND_ERR_FONT_OPTION",
        `unknown subset ${show(subset)} for font \`${family}\`. Available subsets: ${list(metadata.subsets)}`,
      );
    }
  }
  const axes = listOption(call, options, "axes");
  const variableAxes = metadata.variable || {};
  if (axes !== undefined && weights !== undefined) {
    throw fontError(
      call,
      "TND_ERR_FONT_OPTION",
      'axes can only be defined for variable fonts (leave out weight, or use weight: "variable")',
    );
  }
  for (const axis of axes ?? []) {
    const definable = Object.keys(variableAxes).filter((name) => name !== "wght" && name !== "ital");
    if (!definable.includes(axis)) {
      throw fontError(
        call,
        "TND_ERR_FONT_OPTION",
        `invalid axes value ${show(axis)} for font \`${family}\`. Available axes: ${list(definable)}`,
      );
    }
  }
  checkAdjustFontFallback(call, options, [true, false]);

  // Every subset gets its @font-face, as Google's CSS has: unicode-range lets the browser fetch
  // only those a page's text needs. The listed subsets are the ones preloaded.
  const faces: FontFace[] = [];
  const preloads: FontDefinition["preload"] = [];
  const axisFile = axes !== undefined && axes.length > 0 ? "standard" : "wght";
  for (const rawSubset of Object.keys(pkg.unicode).length > 0 ? Object.keys(pkg.unicode) : metadata.subsets) {
    const subset = rawSubset.replace(/^\[(\d+)\]$/, "$1");
    for (const style of styles) {
      for (const weight of weights ?? [undefined]) {
        const name = `${metadata.id}-${subset}-${weight ?? axisFile}-${style}.woff2`;
        const file = join(pkg.dir, "files", name);
        if (!existsSync(file)) {
          if (subsets.includes(rawSubset)) {
            throw fontError(
              call,
              "TND_ERR_FONT_OPTION",
              `the installed Fontsource package has no file ${name} for subset ${show(rawSubset)}; reinstall it or choose another option`,
            );
          }
          continue;
        }
        const wght = variableAxes.wght;
        const face: FontFace = {
          src: [{ file, format: weights === undefined ? "woff2-variations" : "woff2" }],
          style,
          ...(weight !== undefined ? { weight } : wght !== undefined ? { weight: `${wght.min} ${wght.max}` } : {}),
          ...(pkg.unicode[rawSubset] !== undefined ? { unicodeRange: pkg.unicode[rawSubset] } : {}),
        };
        faces.push(face);
        if (preload && subsets.includes(rawSubset)) preloads.push({ file, type: "font/woff2" });
      }
    }
  }
  const definition: FontDefinition = {
    family,
    faces,
    display: displayOption(call, options),
    preload: preloads,
    fallback: fallbackOption(call, options),
  };
  if (weights?.length === 1) definition.weight = weights[0]!;
  if (styles.length === 1) definition.style = styles[0]!;
  const variable = variableOption(call, options);
  if (variable !== undefined) definition.variable = variable;
  return definition;
}
