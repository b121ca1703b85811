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
  }
}
