import { BODY_GETTERS, BODY_METHODS, delegateToReal, forwardMembers } from "./delegate.js";
import { natives, REPLACED_RESPONSE, TO_NATIVE } from "./natives.js";

/**
 * A Response that stays a plain object until someone needs the real one.
 *
 * undici's Response constructor wraps every body in a ReadableStream; on Node 20 that costs more
 * than the rest of a request put together. Handlers mostly return a string or bytes with a status
 * and headers that the server writes straight out, so this class keeps exactly those and builds
 * the undici Response only when a member that needs it (body, text(), clone(), ...) is touched.
 * Its prototype chain reaches Response.prototype (see natives.ts) and
 * `instanceof Response` holds both for it and for real Responses (from fetch(), Response.error(), ...).
 */
const hasInstance = Function.prototype[Symbol.hasInstance];

export interface Plain {
  status: number;
  statusText: string;
  /** The init's headers as given; turned into `headers` only if someone reads response.headers. */
  init: HeadersInit | undefined;
  headers: Headers | undefined;
  /** content-type to add when the headers have none (what the real constructor would add). */
  type: string | undefined;
  body: string | Uint8Array | null;
  /**
   * A header that the Headers object gets when it is built (someone reads `response.headers`,
   * e.g. to copy the response) and that `headerPairs()` leaves out: the app's own fast paths
   * never see it. Middleware's continue mark uses it (app/middleware/signals.ts).
   */
  late?: () => readonly [string, string];
}

type Body = ConstructorParameters<typeof Response>[0];

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

function checkStatus(status: number): void {
  // The same rule and message as the Fetch spec, so errors surface where the Response is made.
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new RangeError(`init["status"] must be in the range of 200 to 599, inclusive.`);
  }
}

/** The live Headers of a plain response, built once from the init (plus the default content-type). */
export function headersOf(plain: Plain): Headers {
  if (plain.headers === undefined) {
    const headers = new Headers(plain.init);
    if (plain.type !== undefined && !headers.has("content-type")) headers.set("content-type", plain.type);
    if (plain.late !== undefined) headers.set(...plain.late());
    plain.headers = headers;
    plain.init = undefined;
  }
  return plain.headers;
}

/**
 * The init's headers of an untouched plain response as [name, value] pairs, without building a
 * Headers object. The default content-type is not included (see `type`). The init is replaced by
 * its pairs, so a one-shot iterable is read once; the array returned is that stored list, which
 * callers must copy before changing.
 */
export function headerPairs(plain: Plain): ReadonlyArray<readonly [string, string]> {
  const init = plain.init;
  if (init === undefined) return NO_PAIRS;
  const pairs: Array<[string, string]> = [];
  if (isHeaderRecord(init)) {
    // Own keys only, like the real constructor.
    for (const name of Object.keys(init)) pairs.push([name, stringOf((init as Record<string, unknown>)[name])]);
  } else if (Array.isArray(init) || typeof (init as unknown as Iterable<unknown>)[Symbol.iterator] === "function") {
    // Any iterable of pairs is a valid HeadersInit (arrays, Headers, Maps, generators).
    for (const pair of init as unknown as Iterable<string[]>) {
      if (pair.length !== 2) throw new TypeError("Headers init pairs must have exactly two items");
      pairs.push([pair[0]!, stringOf(pair[1])]);
    }
  } else {
    for (const name of Object.keys(init)) pairs.push([name, stringOf((init as unknown as Record<string, unknown>)[name])]);
  }
  plain.init = pairs;
  return pairs;
}

const NO_PAIRS: ReadonlyArray<readonly [string, string]> = Object.freeze([]);

/** The body Response.json() sends, with its error for a value JSON cannot represent. */
export function jsonText(data: unknown): string {
  const text = JSON.stringify(data);
  if (text === undefined) throw new TypeError("Value is not JSON serializable");
  return text;
}

/** A header value as the Headers constructor would store it, without a call for the usual string. */
export const stringOf = (value: unknown): string => (typeof value === "string" ? value : String(value));

/**
 * A HeadersInit given as a plain record (the usual form). Checked before asking for
 * Symbol.iterator, a lookup that misses all the way up a plain object's prototype chain.
 */
export function isHeaderRecord(init: HeadersInit | undefined): init is Record<string, string> {
  return init !== undefined && (init as { constructor?: unknown }).constructor === Object;
}

export class FastResponse {
  #plain: Plain | undefined;
  #real: Response | undefined;
  /** A slot for the app's own bookkeeping about this response (middleware's continue/rewrite signal). */
  constructor(body?: Body, init?: ResponseInit) {
    const simple = body == null || typeof body === "string" || body instanceof Uint8Array;
    if (simple && (init === undefined || (init !== null && typeof init === "object"))) {
      const status = init?.status ?? 200;
      checkStatus(status);
      if (body != null && NULL_BODY_STATUS.has(status)) {
        throw new TypeError(`Response constructor: Invalid response status code ${status}`);
      }
      const statusText = init?.statusText === undefined ? "" : String(init.statusText);
      if (statusText !== "" && /[^\t\x20-\x7e\x80-\xff]/.test(statusText)) throw new TypeError("Invalid statusText");
      // Headers are kept as given: building a Headers object is the next most expensive step, and
      // most responses go straight to the socket (node:http validates names and values there).
      const type = typeof body === "string" ? "text/plain;charset=UTF-8" : undefined;
      this.#plain = { status, statusText, init: init?.headers, headers: undefined, type, body: body ?? null };
    } else {
      this.#real = new natives.Response(body, init);
    }
  }

  /** The untouched plain form, or undefined once the real Response exists. */
  static plain(response: unknown): Plain | undefined {
    // A brand check, not instanceof: instanceof is widened to every Response on purpose.
    return typeof response === "object" && response !== null && #plain in response ? response.#plain : undefined;
  }

  #toResponse(): Response {
    if (this.#real === undefined) {
      const plain = this.#plain!;
      this.#plain = undefined;
      this.#real = new natives.Response(plain.body as BodyInit | null, {
        status: plain.status,
        statusText: plain.statusText,
        headers: headersOf(plain),
      });
    }
    return this.#real;
  }

  get status(): number {
    return this.#plain?.status ?? this.#real!.status;
  }

  get ok(): boolean {
    const status = this.status;
    return status >= 200 && status < 300;
  }

  get statusText(): string {
    return this.#plain?.statusText ?? this.#real!.statusText;
  }

  get headers(): Headers {
    return this.#plain === undefined ? this.#real!.headers : headersOf(this.#plain);
  }

  static json(data: unknown, init?: ResponseInit): Response {
    return FastResponse.jsonBody(new FastResponse(jsonText(data), init)) as unknown as Response;
  }

  /**
   * Gives a response just made from `jsonText()` what Response.json() gives it: the default
   * content-type application/json. For subclasses (NextResponse.json), which cannot reach #plain.
   */
  static jsonBody<R>(response: R): R {
    const plain = FastResponse.plain(response);
    if (plain !== undefined) plain.type = "application/json";
    return response;
  }

  static redirect(url: string | URL, status?: number): Response {
    return natives.Response.redirect(url, status);
  }

  static error(): Response {
    return natives.Response.error();
  }

  [TO_NATIVE](): Response {
    return this.#toResponse();
  }

  [Symbol.for("nodejs.util.inspect.custom")](): object {
    // undici's own inspection reads private state a stand-in cannot have (Node 24).
    return { status: this.status, statusText: this.statusText, headers: Object.fromEntries(this.headers) };
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    // A subclass (NextResponse) keeps the ordinary rule: its own prototype must be on the chain.
    if (this !== FastResponse) return hasInstance.call(this, value);
    if (typeof value === "object" && value !== null && #plain in value) return true;
    return hasInstance.call(natives.Response, value);
  }

  static {
    const real = (self: FastResponse): Response => self.#toResponse();
    forwardMembers<FastResponse>(FastResponse.prototype, [...BODY_GETTERS, "type", "url", "redirected"], BODY_METHODS, real);
    delegateToReal<FastResponse>(FastResponse.prototype, natives.Response.prototype, real);
    Object.setPrototypeOf(FastResponse, natives.Response);
    Object.setPrototypeOf(FastResponse.prototype, natives.Response.prototype);
    Object.defineProperty(FastResponse, REPLACED_RESPONSE, { value: natives.Response });
  }
}

/**
 * Makes `new Response(...)` and `Response.json(...)` build FastResponses process-wide. Idempotent.
 * serve() calls it unless `fastResponse: false`.
 */
export function installFastResponse(): void {
  if (globalThis.Response !== (FastResponse as unknown)) globalThis.Response = FastResponse as unknown as typeof Response;
}
