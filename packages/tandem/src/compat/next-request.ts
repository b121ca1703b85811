import { canonicalPath } from "../app/middleware/canonical-path.js";
import { BODY_GETTERS, BODY_METHODS, delegateToReal, forwardMembers, REQUEST_GETTERS } from "../server/delegate.js";
import { natives, TO_NATIVE, toNative } from "../server/natives.js";
import { installFetchUnwrap } from "../server/fetch-unwrap.js";
import { copyHeaders, isNodeRequest } from "../server/request.js";
import { RequestCookies } from "./cookies.js";
import { NextURL } from "./next-url.js";

// A NextRequest can be made anywhere (a middleware's unit test), not only inside serve(): from here
// on `new Request(nextRequest)` and `fetch(nextRequest)` take it on every Node version (decision 0010).
installFetchUnwrap();

const NO_BODY = new Set(["GET", "HEAD"]);
// Set just around `new NextRequest(input)` by adopt(): the input is handed over (toNextRequest,
// clone) and is read directly, never cloned. A module variable rather than a WeakSet of inputs:
// this runs on every request and weak collections cost the garbage collector extra work.
let adopting = false;

function adopt(request: Request): NextRequest {
  adopting = true;
  try {
    return new NextRequest(request);
  } finally {
    adopting = false;
  }
}

/**
 * Request.prototype without undici's constructor, which costs ~20 µs per request (AbortSignal,
 * header list, URL parsing). NextRequest answers method, url and headers itself and hands
 * everything else to a real Request built only when something asks (see `#real`).
 */
const LazyRequest = function LazyRequest() {} as unknown as typeof Request;
LazyRequest.prototype = Object.create(natives.Request.prototype) as Request;

/**
 * next/server's NextRequest: a Request with `nextUrl` and `cookies`, both built on first use.
 * Built from another Request, it reads that request's body only when asked to, through a clone,
 * so the route handler can still read the original; a middleware that never touches the body
 * costs no stream, clone or undici Request. `instanceof Request` holds.
 */
// A base class linked to Request.prototype (below), not `extends`: a derived class is built through
// V8's generic construct path and a super() call, and a route handler gets one per request.
export interface NextRequest extends Request {}
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface gives the linked class Request's members (see above).
export class NextRequest {
  readonly #input: Request;
  readonly #method: string;
  /** The input is this request's own (handed over, or built here): read directly, never cloned. */
  readonly #adopted: boolean;
  #headers: Headers | undefined;
  #nextUrl: NextURL | undefined;
  #cookies: RequestCookies | undefined;
  #realRequest: Request | undefined;

  constructor(input: URL | RequestInfo, init?: RequestInit) {
    this.#adopted = adopting;
    adopting = false;
    // Only `headers` may be changed without building a real Request (what clone() and Next.js code do).
    if ((isNodeRequest(input) || input instanceof Request) && (init === undefined || Object.keys(init).every((key) => key === "headers"))) {
      this.#input = input as Request;
      this.#method = (input as Request).method;
      if (init?.headers !== undefined) this.#headers = new Headers(init.headers);
    } else {
      const real = new Request(toNative(input), init);
      this.#adopted = true;
      this.#input = this.#realRequest = real;
      this.#method = real.method;
      this.#headers = real.headers;
    }
  }

  get method(): string {
    return this.#method;
  }

  get url(): string {
    return this.#input.url;
  }

  /**
   * A copy of the input's headers (made on first use), so middleware's changes stay on this
   * request. A handed-over request (toNextRequest) is this request's own: no copy needed.
   */
  get headers(): Headers {
    return (this.#headers ??= this.#adopted ? this.#input.headers : copyHeaders(this.#input));
  }

  get signal(): AbortSignal {
    return this.#input.signal;
  }

  get bodyUsed(): boolean {
    if (this.#realRequest !== undefined) return this.#realRequest.bodyUsed;
    return this.#adopted && this.#input.bodyUsed;
  }

  /** The request URL, with percent-encoded letters, digits and "-._~" in the path decoded (see canonicalPath). */
  get nextUrl(): NextURL {
    if (this.#nextUrl === undefined) {
      const url = new NextURL(this.url);
      const pathname = canonicalPath(url.pathname);
      if (pathname !== url.pathname) url.pathname = pathname;
      this.#nextUrl = url;
    }
    return this.#nextUrl;
  }

  get cookies(): RequestCookies {
    return (this.#cookies ??= new RequestCookies(this.headers));
  }

  /** Removed in Next.js 15; always undefined here. Read a trusted proxy header instead. */
  get ip(): string | undefined {
    return undefined;
  }

  /** Removed in Next.js 15; always undefined here. */
  get geo(): undefined {
    return undefined;
  }

  // An adopted request's body is read by the request itself: Tandem's server requests parse JSON
  // safely (proto poisoning, depth) and enforce the body limit on their own fast path.
  json(): Promise<any> {
    return this.#direct()?.json() ?? this.#real().json();
  }

  text(): Promise<string> {
    return this.#direct()?.text() ?? this.#real().text();
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#direct()?.arrayBuffer() ?? this.#real().arrayBuffer();
  }

  formData(): Promise<FormData> {
    return this.#direct()?.formData() ?? this.#real().formData();
  }

  get body(): Request["body"] {
    const direct = this.#direct();
    return direct !== undefined ? direct.body : this.#real().body;
  }

  /** The input itself when it was handed over (toNextRequest) and nothing built a real Request yet. */
  #direct(): Request | undefined {
    return this.#realRequest === undefined && this.#adopted ? this.#input : undefined;
  }

  /** Where a request's body is read from: a handed-over request's own input, else the request itself. */
  static bodySource(request: Request): Request {
    return #input in request ? (request.#direct() ?? request) : request;
  }

  clone(): NextRequest {
    return adopt(this.#real().clone());
  }

  /** The undici Request for everything not answered above (body, cache, mode, internal slots). */
  #real(): Request {
    if (this.#realRequest === undefined) {
      const input = this.#input;
      const hasBody = !NO_BODY.has(this.#method);
      const source = hasBody && !this.#adopted ? input.clone() : input;
      const init: RequestInit & { duplex: "half" } = { method: this.#method, headers: this.headers, duplex: "half" };
      if (hasBody) init.body = source.body;
      this.#realRequest = new Request(input.url, init);
    }
    return this.#realRequest;
  }

  [TO_NATIVE](): Request {
    return this.#real();
  }

  [Symbol.for("nodejs.util.inspect.custom")](): object {
    return { method: this.method, url: this.url, headers: Object.fromEntries(this.headers) };
  }

  static {
    Object.setPrototypeOf(NextRequest.prototype, LazyRequest.prototype);
    const real = (self: NextRequest): Request => self.#real();
    forwardMembers<NextRequest>(NextRequest.prototype, [...REQUEST_GETTERS, ...BODY_GETTERS], BODY_METHODS, real);
    delegateToReal<NextRequest>(NextRequest.prototype, natives.Request.prototype, real);
  }
}

/**
 * The request whose body a reader gets: for a route handler's NextRequest, the server request it
 * was handed (so Tandem's own readers can take a body that has arrived without a promise).
 */
export const bodySourceOf = (request: Request): Request => NextRequest.bodySource(request);

/**
 * The request as a NextRequest for code that takes the request over from here on (a route
 * handler): its body is read directly, without a clone, so the original must not be read after.
 */
export function toNextRequest(request: Request): NextRequest {
  if (request instanceof NextRequest) return request;
  return adopt(request);
}
