/** One `@font-face` rule, its files as absolute paths (the build copies them with hashed names). */
export interface FontFace {
  src: { file: string; format: string }[];
  weight?: string;
  style?: string;
  unicodeRange?: string;
  /** next/font/local's `declarations`: more descriptors, as written. */
  declarations?: { prop: string; value: string }[];
}

/** What one loader call compiles to, before names are scoped to the call. */
export interface FontDefinition {
  /** The family as the font names it (`Inter`), or next/font/local's const name. */
  family: string;
  faces: FontFace[];
  display: string;
  /** The files a page using the font preloads: `type` is the preload's MIME type. */
  preload: { file: string; type: string }[];
  fallback: string[];
  /** For the returned `style`: set when the call asked for exactly one. */
  weight?: string;
  style?: string;
  /** The CSS variable (`--font-inter`) the variable class defines. */
  variable?: string;
}
