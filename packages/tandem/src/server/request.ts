import { messageRequestId, REQUEST_ID } from "./request-id.js";
import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError } from "../errors/http-error.js";
import { arrivedBody, bodyStream, declaredLengthOf, hasBody, readBody } from "./body.js";
import { BODY_GETTERS, BODY_METHODS, delegateToReal, forwardMembers, REQUEST_GETTERS } from "./delegate.js";
import { natives, TO_NATIVE } from "./natives.js";
import { parseJson } from "./json.js";
import { createNodeHeaders, rawHeader, sameHeaderName } from "./node-headers.js";
import { normalizedUrl, pathOfUrl, requestOrigin, scanTarget, targetPath, type UrlOptions } from "./url.js";
import { DEFAULTS } from "./options.js";

export interface FromNodeRequestOptions extends UrlOptions {
  /** Max body bytes; default 1 MiB. Reading more rejects with HttpError 413. */
  bodyLimit?: number;
}

const decoder = new TextDecoder();
const decodeText = (buffer: Buffer): string => decoder.decode(buffer);
const parseBuffer = (buffer: Buffer): unknown => parseJson(decoder.decode(buffer));
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);

// The X-Forwarded-* names Next.js adds to every request it hands to an app, in the order it adds them.
const FORWARDED = ["x-forwarded-host", "x-forwarded-port", "x-forwarded-proto", "x-forwarded-for"] as const;

const FORWARDED_NAMES: ReadonlySet<string> = new Set(FORWARDED);

/** The index in FORWARDED of header name `name` (any case), or -1: most names fail on length alone. */
function forwardedIndex(name: string): number {
  const length = name.length;
  if (length < 15 || length > 17) return -1;
  for (let i = 0; i < FORWARDED.length; i++) if (sameHeaderName(name, FORWARDED[i]!)) return i;
  return -1;
}

/**
 * The raw header pairs an app sees: the client's, then X-Forwarded-Host, -Port, -Proto and -For, as
 * Next.js adds them (base-server.ts), so code written for it finds them. Next.js keeps any value a
 * client sent; here only a trusted proxy's (trustProxy) are kept, and otherwise they are replaced
 * by what the connection says: a forged X-Forwarded-For must not pass for the client's address.
 * Run when the app first asks for one of them or for the whole list (see RawAmendment in node-headers.ts).
 */
function forwardedHeaders(req: IncomingMessage, origin: string, trusted: boolean): string[] {
  const raw = req.rawHeaders;
  const out: string[] = [];
  let sent = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const index = forwardedIndex(name);
    if (index !== -1) {
      if (!trusted) continue;
      sent |= 1 << index;
    }
    out.push(name, raw[i + 1]!);
  }
  const socket = req.socket as IncomingMessage["socket"] & { encrypted?: boolean };
  const https = socket.encrypted === true;
  // The Host as sent; an HTTP/1.0 request without one has the server's own address in its origin.
  if ((sent & 1) === 0) out.push(FORWARDED[0], rawHeader(raw, "host") ?? origin.slice(origin.indexOf("//") + 2));
  if ((sent & 2) === 0) out.push(FORWARDED[1], socket.localPort !== undefined ? String(socket.localPort) : https ? "443" : "80");
  if ((sent & 4) === 0) out.push(FORWARDED[2], https ? "https" : "http");
  const address = socket.remoteAddress;
  if ((sent & 8) === 0 && address !== undefined) out.push(FORWARDED[3], address);
  return out;
}

function unusable(): TypeError {
  return new TypeError("Body is unusable: it has already been read");
}

/**
 * A Request that reads straight from the IncomingMessage. Most handlers only touch method, url and
 * headers, or read the whole body once; for those no undici Request, AbortController or
 * ReadableStream is ever built. Anything else (clone, formData, blob, body, ...) builds the real
 * Request once and delegates to it.
 * The prototype chain reaches Request.prototype, so `instanceof Request` holds.
 */
class NodeRequest {
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse | undefined;
  readonly #origin: string;
  /** Path and query: what the app routes on, so it never parses the URL back out of `url`. */
  readonly #path: string;
  /** `scanTarget(#path)`: where the pathname ends and whether it holds a '%'; -1 when not plain. */
  readonly #scan: number;
  /** Built on first read: most handlers never ask for the absolute URL. */
  #url: string | undefined;
  readonly #limit: number;
  /** Behind a trusted proxy (trustProxy): its X-Forwarded-* and X-Request-Id count. */
  readonly #trusted: boolean;
  #headers: Headers | undefined;
  #real: Request | undefined;
  #controller: AbortController | undefined;
  #read = false;
  /** Content-Length as sent, looked up once: null until then. */
  #declared: string | undefined | null = null;

  constructor(
    req: IncomingMessage,
    origin: string,
    path: string,
    scan: number,
    url: string | undefined,
    limit: number,
    res: ServerResponse | undefined,
    trusted: boolean,
  ) {
    this.#trusted = trusted;
    this.#req = req;
    this.#origin = origin;
    this.#path = path;
    this.#scan = scan;
    this.#url = url;
    this.#limit = limit;
    this.#res = res;
  }

  get method(): string {
    return this.#req.method!;
  }

  get url(): string {
    return (this.#url ??= this.#origin + this.#path);
  }

  get headers(): Headers {
    return (this.#headers ??= this.#freshHeaders());
  }

  #freshHeaders(): Headers {
    const req = this.#req;
    const origin = this.#origin;
    const trusted = this.#trusted;
    return createNodeHeaders(req.rawHeaders, { names: FORWARDED_NAMES, build: () => forwardedHeaders(req, origin, trusted) });
  }

  /** A copy of the headers: built straight from the raw ones when this request's own are not built yet. */
  static copyHeaders(request: Request): Headers {
    if (!(#req in request)) return new Headers(request.headers);
    return request.#headers === undefined ? request.#freshHeaders() : new Headers(request.#headers);
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      const controller = (this.#controller = new AbortController());
      // The listener is attached only when someone asks for the signal, so handlers that never
      // look at it pay nothing.
      const res = this.#res;
      if (res !== undefined) {
        if (res.closed) {
          if (!res.writableFinished) controller.abort();
        } else {
          res.once("close", () => {
            if (!res.writableFinished) controller.abort();
          });
        }
      } else {
        const socket = this.#req.socket;
        if (socket.destroyed) controller.abort();
        else socket.once("close", () => controller.abort());
      }
    }
    return this.#controller.signal;
  }

  get duplex(): "half" {
    return "half";
  }

  get bodyUsed(): boolean {
    return this.#read || (this.#real?.bodyUsed ?? false);
  }

  get body(): ReadableStream<Uint8Array> | null {
    return this.#toRequest().body;
  }

  #declaredLength(): string | undefined {
    const declared = this.#declared;
    return declared !== null ? declared : (this.#declared = declaredLengthOf(this.#req));
  }

  /**
   * The whole body, converted by `convert`, with the body marked used at once. A small body comes
   * in the same read as the headers, but node:http hands its bytes to the request only after the
   * handler started: so the body is taken now if it is here, else one microtask later, when it
   * usually is; only a body still on the wire is read through the stream's events.
   */
  #whole<T>(convert: (buffer: Buffer) => T): Promise<T> {
    if (this.#read) return Promise.reject(unusable());
    this.#read = true;
    const req = this.#req;
    const limit = this.#limit;
    const declared = this.#declaredLength();
    try {
      // A fresh empty buffer each time: bytes() hands out a view of it, which its caller may detach.
      const buffer = hasBody(req, declared) ? arrivedBody(req, limit, declared) : Buffer.alloc(0);
      if (buffer !== null) return Promise.resolve(convert(buffer));
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.resolve().then(() => {
      const buffer = arrivedBody(req, limit, declared);
      return buffer !== null ? convert(buffer) : readBody(req, limit).then(convert);
    });
  }

  /**
   * The body as text if all of it is here now, for Tandem's own readers (defineHandler); the body
   * then counts as used. Undefined, with nothing read, when it is not here yet or was read before.
   * Throws the 413 of a body over the limit.
   */
  #arrivedText(): string | undefined {
    if (this.#read || this.#real !== undefined) return undefined;
    const req = this.#req;
    const declared = this.#declaredLength();
    if (!hasBody(req, declared)) {
      this.#read = true;
      return "";
    }
    let buffer: Buffer | null;
    try {
      buffer = arrivedBody(req, this.#limit, declared);
    } catch (error) {
      // The bytes were taken before the size check refused them: the body is gone either way.
      this.#read = true;
      throw error;
    }
    if (buffer === null) return undefined;
    this.#read = true;
    return decodeText(buffer);
  }

  /** What `#arrivedText` gives, for Tandem's own body readers (defineHandler). */
  static arrivedText(request: Request): string | undefined {
    return #req in request ? request.#arrivedText() : undefined;
  }

  text(): Promise<string> {
    if (this.#real !== undefined && !this.#read) return this.#real.text();
    return this.#whole(decodeText);
  }

  json(): Promise<unknown> {
    if (this.#real !== undefined && !this.#read) return this.#real.text().then(parseJson);
    return this.#whole(parseBuffer);
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    if (this.#real !== undefined && !this.#read) return this.#real.arrayBuffer();
    return this.#whole((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
  }

  bytes(): Promise<Uint8Array> {
    if (this.#real !== undefined && !this.#read) return this.#real.arrayBuffer().then((b) => new Uint8Array(b));
    return this.#whole((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  }

  /** The undici Request behind this one, built on first need; its body is the same limited stream. */
  #toRequest(): Request {
    if (this.#real === undefined) {
      const withBody = hasBody(this.#req, this.#declaredLength());
      const init: RequestInit & { duplex: "half" } = {
        method: this.method,
        headers: this.headers,
        signal: this.signal,
        duplex: "half",
      };
      // A body already read directly leaves an empty one; `bodyUsed` still reports it as read.
      if (withBody) init.body = this.#read ? new ReadableStream({ start: (c) => c.close() }) : bodyStream(this.#req, this.#limit);
      this.#real = new Request(this.url, init);
    }
    return this.#real;
  }

  /** Aborts the request's signal (made now if nobody asked for it yet) with `reason`. */
  static abort(request: Request, reason: unknown): void {
    if (!(#req in request)) return;
    (request.#controller ??= new AbortController()).abort(reason);
  }

  static is(value: unknown): boolean {
    return typeof value === "object" && value !== null && #req in value;
  }

  static pathOf(request: Request): string | undefined {
    return #req in request ? request.#path : undefined;
  }

  /** The request's id (see messageRequestId); undefined for a Request the server did not build. */
  static idOf(request: Request): string | undefined {
    return #req in request ? messageRequestId(request.#req, request.#trusted) : undefined;
  }

  get [REQUEST_ID](): string {
    return messageRequestId(this.#req, this.#trusted);
  }

  /** The node request behind a server request: one key per request for whoever wraps it. */
  static messageOf(request: Request): IncomingMessage | undefined {
    return #req in request ? request.#req : undefined;
  }

  static plainPathnameOf(request: Request): string | undefined {
    if (!(#req in request)) return undefined;
    const scan = request.#scan;
    if (scan === -1 || (scan & 1) === 1) return undefined;
    const path = request.#path;
    const end = scan >> 1;
    return end === path.length ? path : path.slice(0, end);
  }

  [TO_NATIVE](): Request {
    return this.#toRequest();
  }

  [Symbol.for("nodejs.util.inspect.custom")](): object {
    // undici's own inspection reads private state a stand-in cannot have (Node 24).
    return { method: this.method, url: this.url, headers: Object.fromEntries(this.headers) };
  }

  static {
    // Every other member of Request (clone, formData, blob, cache, mode, ...) comes from the real one.
    const real = (self: NodeRequest): Request => self.#toRequest();
    forwardMembers<NodeRequest>(NodeRequest.prototype, [...REQUEST_GETTERS, ...BODY_GETTERS], BODY_METHODS, real);
    delegateToReal<NodeRequest>(NodeRequest.prototype, natives.Request.prototype, real);
    Object.setPrototypeOf(NodeRequest.prototype, natives.Request.prototype);
  }
}

/** Aborts a server request's `signal` (the server's handler timeout); other requests are left alone. */
export const abortRequest = (request: Request, reason: unknown): void => NodeRequest.abort(request, reason);

/** Whether `request` is a server request of this module (cheap, and never loads undici). */
export const isNodeRequest = (request: unknown): boolean => NodeRequest.is(request);

/** Path and query of a server request (the same as in its `url`); undefined for any other request. */
export const serverRequestPath = (request: Request): string | undefined => NodeRequest.pathOf(request);
/** The id of a request the server built (see messageRequestId); undefined for any other Request. */
export const serverRequestId = (request: Request): string | undefined => NodeRequest.idOf(request);
/** The IncomingMessage behind a server request, or undefined for any other Request. */
export const serverNodeMessage = (request: Request): IncomingMessage | undefined => NodeRequest.messageOf(request);

/**
 * The pathname of a server request whose target the server found plain and free of '%': it needs
 * no decoding, has no dot segments, NUL bytes or backslashes, and is already canonical. Undefined
 * for any other request, which then takes the app's full checks.
 */
export const serverPlainPathname = (request: Request): string | undefined => NodeRequest.plainPathnameOf(request);

/**
 * The body of a server request as text, now, when all of it has arrived and nothing read it yet
 * (it then counts as used); undefined otherwise, with nothing read. Throws the 413 of a body over
 * the server's limit.
 */
export const takeArrivedText = (request: Request): string | undefined => NodeRequest.arrivedText(request);

/** A copy of a request's headers that can be changed without touching the request's own. */
export const copyHeaders = (request: Request): Headers => NodeRequest.copyHeaders(request);

/**
 * A Web Request for a node:http request. Throws HttpError 400 for a bad Host or target, 501 for
 * methods a Request cannot carry. The realtime feature uses it for upgrade requests.
 * With `response`, `request.signal` aborts if that response closes before it finished; without,
 * it aborts when the socket closes (what an upgrade request wants).
 */
export function fromNodeRequest(req: IncomingMessage, options: FromNodeRequestOptions = {}, response?: ServerResponse): Request {
  // llhttp only accepts upper-case method names, so no case folding is needed.
  const method = req.method ?? "GET";
  if (FORBIDDEN_METHODS.has(method)) {
    throw new HttpError("TND_ERR_SERVER_METHOD", `the ${method} method is not supported`);
  }
  const origin = requestOrigin(req, options);
  const path = targetPath(req);
  const scan = scanTarget(path);
  const limit = options.bodyLimit ?? DEFAULTS.bodyLimit;
  const trusted = options.trustProxy === true;
  if (scan !== -1) return new NodeRequest(req, origin, path, scan, undefined, limit, response, trusted) as unknown as Request;
  const url = normalizedUrl(path, origin);
  return new NodeRequest(req, origin, pathOfUrl(url), -1, url, limit, response, trusted) as unknown as Request;
}
