import type { ServerResponse } from "node:http";
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
}

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
  if (!empty && source != null) {
    headers.push("content-length", String(typeof source === "string" ? Buffer.byteLength(source) : source.byteLength));
  } else if (!empty && body === null && !options.head) {
    headers.push("content-length", "0");
  }
  res.writeHead(response.status, response.statusText || undefined, headers);
  if (body === null || empty || options.head) {
    if (body !== null) void body.cancel().catch(() => {});
    res.end();
    return;
  }
  if (source != null) {
    res.end(source);
    return;
  }
  return pipeBody(res, body, options);
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
function writePlain(res: ServerResponse, plain: Plain, options: WriteOptions): void {
  if (res.destroyed || res.headersSent) return;
  const empty = noBodyStatus(plain.status);
  const body = plain.body;
  try {
    // A bodiless answer to HEAD keeps the Content-Length its handler declared (the size a GET would send).
    const headers = flatHeaders(plain, options.close, options.head && body === null);
    if (!empty && (body !== null || !options.head)) {
      const length = body === null ? 0 : typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
      headers.push("content-length", String(length));
    }
    res.writeHead(plain.status, plain.statusText || undefined, headers);
  } catch (error) {
    // A header name or value node:http refuses (the real Response would have thrown earlier).
    options.onStreamError(error);
    const failed = JSON.stringify(new HttpError("TND_ERR_SERVER_HANDLER_FAILED", "internal server error").toJSON());
    res.writeHead(500, ["content-type", "application/json; charset=utf-8", "content-length", String(Buffer.byteLength(failed))]);
    res.end(failed);
    return;
  }
  if (body === null || empty || options.head) res.end();
  else res.end(body);
}

/** Streams with backpressure: waits for 'drain' when res.write says the socket buffer is full. */
async function pipeBody(res: ServerResponse, body: ReadableStream<Uint8Array>, options: WriteOptions): Promise<void> {
  const reader = body.getReader();
  let waiting: (() => void) | undefined;
  const onGone = () => {
    waiting?.();
    reader.cancel().catch(() => {});
  };
  res.once("close", onGone);
  // Headers go out now, so a client of a slow stream (SSE) sees them before the first chunk.
  res.flushHeaders();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          waiting = resolve;
          res.once("drain", resolve);
        });
        waiting = undefined;
        if (res.destroyed) break;
      }
    }
    if (!res.destroyed) res.end();
  } catch (error) {
    // Headers are gone already: the only honest signal left is a cut connection.
    if (!res.destroyed) options.onStreamError(error);
    res.destroy();
  } finally {
    res.off("close", onGone);
  }
}
