import type { ErrorCode } from "./registry.js";

/**
 * Thrown for build/startup misconfiguration: fail fast with a message naming what is wrong.
 * Its own module, without the registry's descriptions, so the browser entries can throw it.
 */
export class TandemError extends Error {
  override readonly name = "TandemError";
  readonly code: ErrorCode | (string & {});
  constructor(code: ErrorCode | (string & {}), message: string, options?: { cause?: unknown }) {
    super(`${message} [${code}]`, options);
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    // As HttpError: a second copy of Tandem (an app bundle's, a test's import of the source)
    // throws errors that `instanceof` in this copy still recognizes. Subclasses keep the usual check.
    if (this !== TandemError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === "object" && value !== null && BRAND in value;
  }
}

const BRAND = Symbol.for("tandem.TandemError");
