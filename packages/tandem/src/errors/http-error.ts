import { errorRegistry, type ErrorCode } from "./registry.js";

export interface HttpErrorOptions {
  /** Defaults to the registry's status for the code. */
  status?: number;
  headers?: HeadersInit;
  /** Extra JSON fields sent to the client (e.g. validation issues). Must be safe to show. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

// Bundles may hold a second copy of this module (the pages runtime is bundled with the app while
// route handlers import tandem/server); a registry-wide brand lets instanceof see both copies.
const BRAND = Symbol.for("tandem.HttpError");

/**
 * The one error type that carries its own response (h3's HTTPError, Hono's HTTPException).
 * Throw it anywhere in request-time code; the app turns it into `toResponse()`.
 * Its message is meant for the client: never put secrets in it.
 */
export class HttpError extends Error {
  override readonly name = "HttpError";
  readonly code: ErrorCode | (string & {});
  readonly status: number;
  readonly headers: Headers;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode | (string & {}), message: string, options: HttpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? (errorRegistry as Record<string, { status: number }>)[code]?.status ?? 500;
    this.headers = new Headers(options.headers);
    this.details = options.details;
    Object.defineProperty(this, BRAND, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    // Subclasses keep ordinary instanceof; only HttpError itself recognizes other copies.
    if (this !== HttpError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === "object" && value !== null && BRAND in value;
  }

  toJSON(): Record<string, unknown> {
    return { error: { code: this.code, message: this.message, ...this.details } };
  }

  toResponse(): Response {
    const headers = new Headers(this.headers);
    headers.set("content-type", "application/json; charset=utf-8");
    return new Response(JSON.stringify(this.toJSON()), { status: this.status, headers });
  }

  static is(value: unknown): value is HttpError {
    return value instanceof HttpError;
  }
}

/** Thrown for build/startup misconfiguration: fail fast with a message naming what is wrong. */
export class TandemError extends Error {
  override readonly name = "TandemError";
  readonly code: ErrorCode | (string & {});
  constructor(code: ErrorCode | (string & {}), message: string, options?: { cause?: unknown }) {
    super(`${message} [${code}]`, options);
    this.code = code;
  }
}
