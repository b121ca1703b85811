import type { IncomingMessage, ServerResponse } from "node:http";
import type { Writable } from "node:stream";
import type { Compressor } from "../compression/compressor.js";
import { acceptEncodingOf, addVary, declaredLength, markEncoded, mayCompress } from "../compression/headers.js";
import type { Encoding } from "../compression/negotiate.js";
import { FastResponse, isHeaderRecord, stringOf, type Plain } from "./fast-response.js";
import { HttpError } from "../errors/http-error.js";
import { natives } from "./natives.js";

// undici keeps a Response's original body (string, Uint8Array, ...) in an internal state slot.
// Reading it lets a plain string or byte body go out in one res.end() with no ReadableStream.
// If a Node version hides the slot, `stateKey` is undefined and every body takes the stream path.
let stateKey: symbol | undefined | null = null;

type Source = string | Uint8Array;

/** The body as a string or bytes when undici still holds it untouched; undefined means "stream it". */
function sourceOf(response: Response): Source | undefined {
  if (stateKey === null) stateKey = Object.getOwnPropertySymbols(new natives.Response("")).find((s) => s.description === "state");
  if (stateKey === undefined || response.bodyUsed) return undefined;
  const source = (response as unknown as Record<symbol, { body?: { source?: unknown } } | undefined>)[stateKey]?.body?.source;
  return typeof source === "string" || source instanceof Uint8Array ? source : undefined;
}

export interface WriteOptions {
  head: boolean;
  /** Send Connection: close (shutdown, or a request body left unread on the wire). */
  close: boolean;
  /** Logs a failure that happens after the handler returned (a bad header, a broken stream). */
  onStreamError(error: unknown): void;
  /** Compression settings when bodies may be compressed (never for HEAD); `req` says what the client accepts. */
  compressor?: Compressor | undefined;
  req?: IncomingMessage;
}

/** Whole bodies up to this size are compressed on the event loop; larger ones on the thread pool. */
const SYNC_LIMIT = 64 * 1024;

function noBodyStatus(status: number): boolean {
  return status === 204 || status === 304 || (status >= 100 && status < 200);
}

/** Writes a Web Response to a ServerResponse; resolves when it is sent or the client is gone. */
export function writeResponse(res: ServerResponse, response: Response, options: WriteOptions): Promise<void> | void {
  const plain = FastResponse.plain(response);
  if (plain !== undefined) return writePlain(res, plain, options);
  if (res.destroyed || res.headersSent) {
    void response.body?.cancel().catch(() => {});
    return;
  }
  const body = response.body;
  const source = body === null ? null : sourceOf(response);
  const empty = noBodyStatus(response.status);
  // A flat [name, value, ...] list: Headers iteration yields each set-cookie on its own, so several
  // cookies stay several headers.
  const headers: string[] = [];
  for (const [name, value] of response.headers) {
    if (name === "connection" && options.close) continue;
    if (name === "content-length" && (source != null || empty)) continue;
    if (name === "transfer-encoding") continue;
    headers.push(name, value);
  }
  if (options.close) headers.push("connection", "close");
  if (!empty && source != null && !options.head) return endWith(res, response.status, response.statusText, headers, source, options);
  if (!empty && source != null) {
    headers.push("content-length", String(typeof source === "string" ? Buffer.byteLength(source) : source.byteLength));
  } else if (!empty && body === null && !options.head) {
    headers.push("content-length", "0");
  }
  if (body === null || empty || options.head) {
    res.writeHead(response.status, response.statusText || undefined, headers);
    if (body !== null) void body.cancel().catch(() => {});
    res.end();
    return;
  }
  return sendStream(res, response.status, response.statusText, headers, body, options);
}

/** The coding for a streamed body (marking the headers for it), or undefined to stream it as it is. */
function streamEncoding(headers: string[], status: number, options: WriteOptions): Encoding | undefined {
  const compressor = options.compressor;
  if (compressor === undefined || !mayCompress(headers, status)) return undefined;
  const length = declaredLength(headers);
  if (length !== undefined && length < compressor.threshold) return undefined;
  addVary(headers);
  const encoding = compressor.choose(acceptEncodingOf(options.req!));
  if (encoding !== undefined) markEncoded(headers, encoding);
  return encoding;
}

/** Appends one header unless the bridge sets it itself; returns true for content-type. */
function add(headers: string[], name: string, value: unknown, close: boolean, keepLength = false): boolean {
  // Only connection, content-type, content-length and transfer-encoding matter here: lower-case
  // just the names of their lengths.
  const n = name.length;
  const lower = n === 10 || n === 12 || n === 14 || n === 17 ? name.toLowerCase() : "";
  if ((lower === "content-length" && !keepLength) || lower === "transfer-encoding" || (close && lower === "connection")) return false;
  headers.push(name, stringOf(value));
  return lower === "content-type";
}

/** The headers of a plain response as a flat list, straight from whatever init form it was given. */
function flatHeaders(plain: Plain, close: boolean, keepLength = false): string[] {
  const headers: string[] = [];
  let typed = false;
  const init = plain.headers ?? plain.init;
  if (init === undefined) {
    // nothing to copy
  } else if (Array.isArray(init)) {
    for (let i = 0; i < init.length; i++) {
      const pair = init[i] as string[];
      if (pair.length !== 2) throw new TypeError("Headers init pairs must have exactly two items");
      typed = add(headers, pair[0]!, pair[1], close, keepLength) || typed;
    }
  } else if (!isHeaderRecord(init) && typeof (init as unknown as Iterable<unknown>)[Symbol.iterator] === "function") {
    // Any iterable of pairs is a valid HeadersInit (Headers, Maps, generators).
    for (const pair of init as unknown as Iterable<string[]>) {
      if (pair.length !== 2) throw new TypeError("Headers init pairs must have exactly two items");
      typed = add(headers, pair[0]!, pair[1], close, keepLength) || typed;
    }
  } else {
    // Own keys only, like the real constructor.
    for (const name of Object.keys(init)) typed = add(headers, name, (init as Record<string, string>)[name], close, keepLength) || typed;
  }
  if (!typed && plain.type !== undefined && plain.headers === undefined) headers.push("content-type", plain.type);
  if (close) headers.push("connection", "close");
  return headers;
}

/** A FastResponse that nobody turned into a real one: status, headers and a string/bytes body. */
function writePlain(res: ServerResponse, plain: Plain, options: WriteOptions): Promise<void> | void {
  if (res.destroyed || res.headersSent) return;
  const empty = noBodyStatus(plain.status);
  const body = plain.body;
  let headers: string[];
  try {
    // A bodiless answer to HEAD keeps the Content-Length its handler declared (the size a GET would send).
    headers = flatHeaders(plain, options.close, options.head && body === null);
  } catch (error) {
    return failWrite(res, error, options);
  }
  if (!empty && body !== null && !options.head) return endWith(res, plain.status, plain.statusText, headers, body, options);
  if (!empty && (body !== null || !options.head)) {
    headers.push("content-length", String(body === null ? 0 : typeof body === "string" ? Buffer.byteLength(body) : body.byteLength));
  }
  if (!writeHead(res, plain.status, plain.statusText, headers, options)) return;
  res.end();
}

/**
 * Sends a whole body, compressed when it is large enough, compressible and the client accepts a
 * coding. A small body (the common JSON answer) costs one comparison more than before.
 */
function endWith(
  res: ServerResponse,
  status: number,
  statusText: string | undefined,
  headers: string[],
  body: string | Uint8Array,
  options: WriteOptions,
): Promise<void> | void {
  const length = typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
  const compressor = options.compressor;
  if (compressor !== undefined && length >= compressor.threshold && mayCompress(headers, status)) {
    addVary(headers);
    const encoding = compressor.choose(acceptEncodingOf(options.req!));
    if (encoding !== undefined) {
      markEncoded(headers, encoding);
      if (length > SYNC_LIMIT) {
        return compressor.compress(encoding, body).then(
          (encoded) => endEncoded(res, status, statusText, headers, encoded, options),
          (error: unknown) => failWrite(res, error, options),
        );
      }
      return endEncoded(res, status, statusText, headers, compressor.compressSync(encoding, body), options);
    }
  }
  headers.push("content-length", String(length));
  if (writeHead(res, status, statusText, headers, options)) res.end(body);
}

function endEncoded(
  res: ServerResponse,
  status: number,
  statusText: string | undefined,
  headers: string[],
  encoded: Buffer,
  options: WriteOptions,
): void {
  if (res.destroyed || res.headersSent) return;
  headers.push("content-length", String(encoded.byteLength));
  if (writeHead(res, status, statusText, headers, options)) res.end(encoded);
}

/** writeHead, or a logged 500 for a header name or value node:http refuses (a real Response would have thrown earlier). */
function writeHead(res: ServerResponse, status: number, statusText: string | undefined, headers: string[], options: WriteOptions): boolean {
  try {
    res.writeHead(status, statusText || undefined, headers);
    return true;
  } catch (error) {
    failWrite(res, error, options);
    return false;
  }
}

function failWrite(res: ServerResponse, error: unknown, options: WriteOptions): void {
  options.onStreamError(error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const failed = JSON.stringify(new HttpError("TND_ERR_SERVER_HANDLER_FAILED", "internal server error").toJSON());
  res.writeHead(500, ["content-type", "application/json; charset=utf-8", "content-length", String(Buffer.byteLength(failed))]);
  res.end(failed);
}

const TURN = Symbol("the event loop turned");
type Read = ReadableStreamReadResult<Uint8Array>;

/**
 * A streamed body. One that ends within a turn of the event loop (a page without Suspense: most
 * pages) is sent whole, with its length, compressed in one call when it is compressed: a zlib
 * stream would cost its setup and a trip to the thread pool per write and flush, which took more
 * CPU than rendering the page, and a chunked stream a write per chunk (decision 0013). A longer
 * one (Suspense, SSE) streams (through a flushing zlib stream when compressed), what arrived in
 * that turn first.
 */
async function sendStream(
  res: ServerResponse,
  status: number,
  statusText: string | undefined,
  headers: string[],
  body: ReadableStream<Uint8Array>,
  options: WriteOptions,
): Promise<void> {
  const reader = body.getReader();
  const turn = new Promise<typeof TURN>((resolve) => setImmediate(resolve, TURN));
  const arrived: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  let pending: Promise<Read> | undefined;
  try {
    // Also bounded in bytes: a stream that always has more at hand never lets the turn come.
    while (size <= SYNC_LIMIT) {
      const read = reader.read();
      const result = await Promise.race([read, turn]);
      if (result === TURN) {
        pending = read;
        break;
      }
      if (result.done) {
        ended = true;
        break;
      }
      arrived.push(result.value);
      size += result.value.byteLength;
    }
  } catch (error) {
    return failWrite(res, error, options);
  }
  if (res.destroyed) {
    void reader.cancel().catch(() => {});
    return;
  }
  if (ended) {
    // A whole body from here on, as a string or bytes body is: its real length replaces a declared one.
    for (let i = headers.length - 2; i >= 0; i -= 2) if (headers[i]!.toLowerCase() === "content-length") headers.splice(i, 2);
    return endWith(res, status, statusText, headers, arrived.length === 1 ? arrived[0]! : Buffer.concat(arrived), options);
  }
  const encoding = streamEncoding(headers, status, options);
  if (!writeHead(res, status, statusText, headers, options)) return void reader.cancel().catch(() => {});
  return pipeBody(res, reader, options, encoding, { arrived, pending });
}

/**
 * Streams with backpressure: waits for 'drain' when the socket's (or the compressor's) buffer is
 * full. A compressed stream goes through a zlib stream that flushes after every write; `started`
 * is what sendStream already read (written at once) and its read still under way.
 */
async function pipeBody(
  res: ServerResponse,
  body: ReadableStream<Uint8Array> | ReadableStreamDefaultReader<Uint8Array>,
  options: WriteOptions,
  encoding?: Encoding,
  started?: { arrived: Uint8Array[]; pending: Promise<Read> | undefined },
): Promise<void> {
  const reader = body instanceof ReadableStream ? body.getReader() : body;
  const zip = encoding === undefined ? undefined : options.compressor!.stream(encoding);
  const sink: Writable = zip ?? res;
  let waiting: (() => void) | undefined;
  const onGone = () => {
    waiting?.();
    reader.cancel().catch(() => {});
    zip?.destroy();
  };
  res.once("close", onGone);
  if (zip !== undefined) {
    zip.once("error", (error) => {
      if (!res.destroyed) options.onStreamError(error);
      res.destroy();
    });
    zip.pipe(res);
  }
  // Headers go out now, so a client of a slow stream (SSE) sees them before the first chunk.
  res.flushHeaders();
  try {
    if (started !== undefined && started.arrived.length > 0) sink.write(Buffer.concat(started.arrived));
    for (let next = started?.pending; ; next = undefined) {
      const { done, value } = await (next ?? reader.read());
      if (done || res.destroyed) break;
      if (!sink.write(value)) {
        await new Promise<void>((resolve) => {
          waiting = resolve;
          sink.once("drain", resolve);
        });
        waiting = undefined;
        if (res.destroyed) break;
      }
    }
    if (!res.destroyed) sink.end();
  } catch (error) {
    // Headers are gone already: the only honest signal left is a cut connection.
    if (!res.destroyed) options.onStreamError(error);
    zip?.destroy();
    res.destroy();
  } finally {
    // A compressor may still be flushing into the socket: it stays tied to the socket's close.
    if (zip === undefined) res.off("close", onGone);
  }
}
