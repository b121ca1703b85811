import type { FontDefinition } from "./types.js";

/** The value a loader call returns, as Next.js's: `{ className, style, variable? }`. */
export interface FontValue {
  className: string;
  style: { fontFamily: string; fontWeight?: number; fontStyle?: string };
  variable?: string;
}

function quote(value: string): string {
  return `'${value.replace(/[\\']/g, "\\$&")}'`;
}

/** A generic family (`sans-serif`) stays bare; any other name is quoted. */
function toFallback(name: string): string {
  return /^(serif|sans-serif|monospace|cursive|fantasy|system-ui|ui-[a-z-]+|math|emoji|fangsong)$/.test(name) ? name : quote(name);
}

/**
 * The stylesheet and value of one call. Names are scoped by `hash` (`__Inter_1a2b3c`), so the
 * face never meets a font of the same name installed on the visitor's system or declared by the app.
 */
export function toFontCss(definition: FontDefinition, hash: string): { css: string; value: FontValue } {
  const family = `__${definition.family.replace(/[^A-Za-z0-9_-]/g, "_")}_${hash}`;
  const fontFamily = [quote(family), ...definition.fallback.map(toFallback)].join(", ");
  const rules: string[] = [];
  for (const face of definition.faces) {
    const lines = [
      `font-family: ${quote(family)};`,
      `src: ${face.src.map((source) => `url(${JSON.stringify(source.file)}) format(${quote(source.format)})`).join(", ")};`,
      `font-display: ${definition.display};`,
    ];
    if (face.weight !== undefined) lines.push(`font-weight: ${face.weight};`);
    if (face.style !== undefined) lines.push(`font-style: ${face.style};`);
    if (face.unicodeRange !== undefined) lines.push(`unicode-range: ${face.unicodeRange};`);
    for (const declaration of face.declarations ?? []) lines.push(`${declaration.prop}: ${declaration.value};`);
    rules.push(`@font-face {\n  ${lines.join("\n  ")}\n}`);
  }
  const className = `__className_${hash}`;
  const classLines = [`font-family: ${fontFamily};`];
  const style: FontValue["style"] = { fontFamily };
  if (definition.weight !== undefined) {
    classLines.push(`font-weight: ${definition.weight};`);
    // Next.js types fontWeight as a number: a keyword weight (local "bold") stays in the CSS only.
    if (/^\d+$/.test(definition.weight)) style.fontWeight = Number(definition.weight);
  }
  if (definition.style !== undefined) {
    classLines.push(`font-style: ${definition.style};`);
    style.fontStyle = definition.style;
  }
  rules.push(`.${className} {\n  ${classLines.join("\n  ")}\n}`);
  const value: FontValue = { className, style };
  if (definition.variable !== undefined) {
    value.variable = `__variable_${hash}`;
    rules.push(`.${value.variable} {\n  ${definition.variable}: ${fontFamily};\n}`);
  }
  return { css: `${rules.join("\n\n")}\n`, value };
}
