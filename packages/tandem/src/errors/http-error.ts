import { markErrorResponse } from "./error-fields.js";
import { errorRegistry, type ErrorCode } from "./registry.js";
import { TandemError } from "./tandem-error.js";

export interface HttpErrorOptions {
  /** Tandem's own codes only: overrides the registry's status for the code. */
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
 * @example throw new HttpError(403, "NOT_YOURS", "This board belongs to someone else.");
 */
export class HttpError extends Error {
  override readonly name = "HttpError";
  readonly code: ErrorCode | (string & {});
  readonly status: number;
  readonly headers: Headers;
  readonly details: Record<string, unknown> | undefined;

  /** Status first: the status (400-599) the client gets, your code, the message it reads. */
  constructor(status: number, code: string, message: string, options?: Omit<HttpErrorOptions, "status">);
  /** Tandem's own errors: the status comes from the registry entry of the `TND_ERR_*` code. */
  constructor(code: ErrorCode, message: string, options?: HttpErrorOptions);
  constructor(first: number | ErrorCode, second: string, third?: string | HttpErrorOptions, fourth?: HttpErrorOptions) {
    const statusFirst = typeof first === "number";
    const options = (statusFirst ? fourth : (third as HttpErrorOptions | undefined)) ?? {};
    super(statusFirst ? (third as string) : second, options.cause === undefined ? undefined : { cause: options.cause });
    if (statusFirst && !(Number.isInteger(first) && first >= 400 && first <= 599)) {
      throw new TandemError(
        "TND_ERR_HTTP_ERROR_STATUS",
        `new HttpError(status, code, message) needs a status from 400 to 599, got ${first}`,
      );
    }
    const code = statusFirst ? second : first;
    const registered = statusFirst ? undefined : (errorRegistry as Record<string, { status: number } | undefined>)[code]?.status;
    if (!statusFirst && options.status === undefined && registered === undefined) {
      // Untyped code (JavaScript, a cast) would otherwise answer 500 for what is meant as a 4xx.
      throw new TandemError(
        "TND_ERR_HTTP_ERROR_STATUS",
        `new HttpError(${JSON.stringify(code)}, message) has no status: put it first, e.g. new HttpError(403, ${JSON.stringify(code)}, message)`,
      );
    }
    this.code = code;
    this.status = statusFirst ? first : (options.status ?? registered!);
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
    // Marked with what it says: an app set to problem+json writes it as problem details instead.
    return markErrorResponse(new Response(JSON.stringify(this.toJSON()), { status: this.status, headers }), this);
  }

  static is(value: unknown): value is HttpError {
    return value instanceof HttpError;
  }
}

export { TandemError } from "./tandem-error.js";
