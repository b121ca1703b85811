import { TandemError } from "../errors/tandem-error.js";

/** The call being compiled, so every error names the file and the font as Next.js's do. */
export interface FontCall {
  /** The file, relative to the app's root. */
  file: string;
  /** The loader as written: `Inter`, `localFont`. */
  loader: string;
}

type FontCode = "TND_ERR_FONT_CALL" | "TND_ERR_FONT_OPTION" | "TND_ERR_FONT_NOT_INSTALLED";

export function fontError(call: FontCall, code: FontCode, message: string): TandemError {
  return new TandemError(code, `${call.file}: ${call.loader}(): ${message}`);
}

/** The options' value in Next.js's words: `1000`, `"bold"`. */
export function show(value: unknown): string {
  return typeof value === "string" ? `\`${value}\`` : `\`${JSON.stringify(value)}\``;
}
