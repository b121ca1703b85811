import type { IncomingMessage } from "node:http";
import { HttpError } from "../errors/http-error.js";
import { rawHeader } from "./node-headers.js";

/**
 * Requests whose body was cut off at the limit. The rest of that body is still on the wire, so the
 * bridge answers them with `Connection: close` instead of reading (or dumping) what is left.
 */
export const oversized = new WeakSet<IncomingMessage>();

export function tooLarge(limit: number): HttpError {
  return new HttpError("TND_ERR_BODY_TOO_LARGE", `request body is larger than the ${limit}-byte limit`);
}

function incomplete(cause?: unknown): HttpError {
  return new HttpError("TND_ERR_SERVER_BODY_INCOMPLETE", "the request body ended before it was complete", { cause });
}

/** The declared length when it is over the limit; llhttp already refused malformed or duplicate values. */
export function declaredTooLarge(req: IncomingMessage, limit: number): boolean {
  return overLimit(declaredLengthOf(req), limit);
}

/** Whether a declared Content-Length (declaredLengthOf) is over `limit`; for callers that looked it up already. */
export function overLimit(declared: string | undefined, limit: number): boolean {
  return declared !== undefined && Number(declared) > limit;
}

/** The request's Content-Length as sent (llhttp refused malformed and conflicting ones). */
export function declaredLengthOf(req: IncomingMessage): string | undefined {
  return rawHeader(req.rawHeaders, "content-length");
}

/**
 * True when the request can carry a body at all (Fetch forbids one on GET and HEAD). `declared`
 * is its Content-Length (declaredLengthOf), which callers look up once per request.
 */
export function hasBody(req: IncomingMessage, declared: string | undefined): boolean {
  if (req.method === "GET" || req.method === "HEAD") return false;
  return declared === undefined ? rawHeader(req.rawHeaders, "transfer-encoding") !== undefined : declared !== "0";
}

type Sink = { chunk(data: Buffer): boolean; end(): void; fail(error: HttpError): void };

/**
 * Feeds the IncomingMessage into `sink`, counting bytes. Over the limit the request is paused (not
 * drained: an attacker could stream forever) and marked for Connection: close.
 */
function pump(req: IncomingMessage, limit: number, sink: Sink): () => void {
  let size = 0;
  let settled = false;
  const done = () => {
    settled = true;
    req.off("data", onData);
    req.off("end", onEnd);
    req.off("error", onError);
    req.off("close", onClose);
  };
  const onData = (data: Buffer) => {
    size += data.length;
    if (size > limit) {
      done();
      req.pause();
      oversized.add(req);
      sink.fail(tooLarge(limit));
    } else if (!sink.chunk(data)) {
      req.pause();
    }
  };
  const onEnd = () => {
    done();
    sink.end();
  };
  const onError = (error: unknown) => {
    done();
    sink.fail(incomplete(error));
  };
  // 'close' before 'end' means the client went away mid-body.
  const onClose = () => {
    if (!settled && !req.readableEnded) onError(undefined);
  };
  if (declaredTooLarge(req, limit)) {
    oversized.add(req);
    sink.fail(tooLarge(limit));
    return () => {};
  }
  if (req.readableEnded || req.destroyed) {
    sink.fail(incomplete());
    return () => {};
  }
  req.on("data", onData);
  req.on("end", onEnd);
  req.on("error", onError);
  req.on("close", onClose);
  return () => {
    if (!settled) done();
  };
}

/**
 * The body when it has already arrived whole, taken from the request's buffer in one read(); null
 * when some of it is still on the wire. A small body usually comes in the packet that carried the
 * headers: node:http has pushed its bytes before the handler's first await returns, though the
 * message is marked complete (and 'end' emitted) only later. Reading it here skips four
 * listeners, a resume and two ticks per request.
 */
function bufferedBody(req: IncomingMessage, limit: number, declared: string | undefined): Buffer | null {
  if (req.readableEnded || req.destroyed || req.readableFlowing === true) return null;
  // Every declared byte is here (llhttp stops at the declared length), or the message is complete.
  const whole = declared === undefined ? req.complete : Number(declared) === req.readableLength;
  if (!whole || overLimit(declared, limit)) return null;
  if (req.readableLength === 0) return Buffer.alloc(0);
  // read() marks the message as consumed, so node:http does not dump it.
  const data: Buffer | string | null = req.read();
  if (data === null) return null;
  // Read before node:http saw the message complete (the usual case: the microtask after the
  // headers), a paused stream would never emit 'end', and node:http keeps a request that has not
  // ended referenced from the connection until the next one: every idle keep-alive connection
  // then holds a dead request for the young generation to copy. Flowing, it ends at the EOF.
  if (!req.complete) req.resume();
  return typeof data === "string" ? Buffer.from(data) : data;
}

/**
 * The whole body, now, when it has all arrived and fits `limit` (read out of the request, which
 * then counts as consumed); null when it has not, and nothing is read. Lets a caller parse without
 * a promise, which for a Buffer costs a `then` lookup through five prototypes.
 */
export function arrivedBody(req: IncomingMessage, limit: number, declared: string | undefined): Buffer | null {
  const buffered = bufferedBody(req, limit, declared);
  if (buffered === null || buffered.length <= limit) return buffered;
  // read() took it already: the over-limit case must still answer 413 and close.
  oversized.add(req);
  throw tooLarge(limit);
}

/** The whole body as one Buffer, for text/json/arrayBuffer without a ReadableStream in between. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const buffered = bufferedBody(req, limit, declaredLengthOf(req));
  if (buffered !== null) {
    if (buffered.length <= limit) return Promise.resolve(buffered);
    oversized.add(req);
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    pump(req, limit, {
      chunk(data) {
        chunks.push(data);
        size += data.length;
        return true;
      },
      end: () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)),
      fail: reject,
    });
  });
}

/** The body as a byte stream with backpressure: the socket is paused while the stream's queue is full. */
export function bodyStream(req: IncomingMessage, limit: number): ReadableStream<Uint8Array> {
  let stop = () => {};
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        stop = pump(req, limit, {
          chunk(data) {
            controller.enqueue(data);
            return (controller.desiredSize ?? 0) > 0;
          },
          end: () => controller.close(),
          fail: (error) => controller.error(error),
        });
      },
      pull() {
        if (req.isPaused() && !oversized.has(req)) req.resume();
      },
      cancel() {
        // The reader gave up: stop buffering. What is left on the wire is dumped by node:http.
        stop();
        req.resume();
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
}
