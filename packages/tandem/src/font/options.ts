import { fontError, show, type FontCall } from "./fail.js";
import type { Literal } from "./literal.js";

/** The values `display` takes, as Next.js lists them. */
const DISPLAYS = ["auto", "block", "swap", "fallback", "optional"];

export type Options = Record<string, Literal>;

/** The options object: one object literal, with only the keys the loader knows. */
export function toOptions(call: FontCall, value: Literal | undefined, known: readonly string[]): Options {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw fontError(call, "TND_ERR_FONT_OPTION", "the argument must be an object literal of options");
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw fontError(call, "TND_ERR_FONT_OPTION", `unknown option \`${key}\`. Options: ${known.join(", ")}`);
    }
  }
  return value;
}

export function stringOption(call: FontCall, options: Options, name: string): string | undefined {
  const value = options[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw fontError(call, "TND_ERR_FONT_OPTION", `option \`${name}\` must be a string, not ${show(value)}`);
  return value;
}

/** A string or an array of strings, as `weight`, `style` and `subsets` are written. */
export function listOption(call: FontCall, options: Options, name: string): string[] | undefined {
  const value = options[name];
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    // `weight: 400` is common in Next.js code; Next.js's types ask for strings but its check reads both.
    if (typeof item === "number" && name === "weight") return String(item);
    if (typeof item !== "string")
      throw fontError(call, "TND_ERR_FONT_OPTION", `option \`${name}\` must be a string or an array of strings, not ${show(value)}`);
    return item;
  });
}

export function booleanOption(call: FontCall, options: Options, name: string, fallback: boolean): boolean {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== "boolean")
    throw fontError(call, "TND_ERR_FONT_OPTION", `option \`${name}\` must be true or false, not ${show(value)}`);
  return value;
}

export function displayOption(call: FontCall, options: Options): string {
  const display = stringOption(call, options, "display") ?? "swap";
  if (!DISPLAYS.includes(display)) {
    throw fontError(
      call,
      "TND_ERR_FONT_OPTION",
      `invalid display value ${show(display)}. Available display values: ${DISPLAYS.map((d) => `\`${d}\``).join(", ")}`,
    );
  }
  return display;
}

export function variableOption(call: FontCall, options: Options): string | undefined {
  const variable = stringOption(call, options, "variable");
  if (variable !== undefined && !/^--[A-Za-z0-9_-]+$/.test(variable)) {
    throw fontError(
      call,
      "TND_ERR_FONT_OPTION",
      `option \`variable\` must be a CSS custom property name such as \`--font-inter\`, not ${show(variable)}`,
    );
  }
  return variable;
}

export function fallbackOption(call: FontCall, options: Options): string[] {
  return listOption(call, options, "fallback") ?? [];
}

/** Accepted as Next.js accepts it; Tandem does not compute metric-adjusted fallback faces (docs/fonts.md). */
export function checkAdjustFontFallback(call: FontCall, options: Options, allowed: readonly (string | boolean)[]): void {
  const value = options.adjustFontFallback;
  if (value === undefined || allowed.includes(value as string | boolean)) return;
  throw fontError(
    call,
    "TND_ERR_FONT_OPTION",
    `invalid adjustFontFallback value ${show(value)}. Available values: ${allowed.map((v) => show(v)).join(", ")}`,
  );
}
