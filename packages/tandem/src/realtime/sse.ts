import { randomUUID } from "node:crypto";
import { HttpError, TandemError } from "../errors/http-error.js";
import { currentHub } from "./app-hub.js";
import { requestId } from "../app/request-id.js";
import { currentScope } from "../app/scope.js";
import type { Delivery, Subscriber } from "./delivery.js";
import { checkTopic, toJson } from "./frames.js";
import type { TopicHub } from "./hub.js";

export interface SseEvent {
  /** Strings are sent as they are (one `data:` line per line); anything else as JSON. */
  data: unknown;
  event?: string;
  id?: string;
  /** Tells the browser how many ms to wait before reconnecting. */
  retry?: number;
}

export interface SseStream {
  send(event: SseEvent): void;
  /** Forwards every message published on `topic` as an event named `event` (default: the topic). */
  subscribe(topic: string, options?: { event?: string }): void;
  unsubscribe(topic: string): void;
  /** Ends the response. Also happens when the client disconnects. */
  close(): void;
  /** Aborted once the stream is closed, by either side. */
  readonly signal: AbortSignal;
}

export interface SseOptions {
  /** ms between comment lines that keep proxies from closing an idle stream. Default 15 s, 0 = off. */
  heartbeat?: number;
  /** Sent first, so browsers reconnect after this many ms. */
  retry?: number;
  /** Bytes queued for a client that does not read before the stream is closed. Default 1 MiB. */
  maxBufferedAmount?: number;
  headers?: HeadersInit;
  /** Topic hub to subscribe on; default the app's realtime hub. */
  hub?: TopicHub;
}

const encoder = new TextEncoder();

function field(name: string, value: string): string {
  // A newline would end the field early and let the value forge other fields or events.
  if (/[\r\n]/.test(value)) throw new HttpError("TND_ERR_REALTIME_BAD_OPTION", `SSE ${name} must not contain line breaks`);
  return `${name}: ${value}\n`;
}

function format(event: SseEvent): string {
  let out = "";
  if (event.event !== undefined) out += field("event", event.event);
  if (event.id !== undefined) out += field("id", event.id);
  if (event.retry !== undefined) out += field("retry", String(Math.max(0, Math.floor(event.retry))));
  const text = typeof event.data === "string" ? event.data : toJson(event.data);
  for (const line of text.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}

/**
 * Returns a server-sent events Response from a route handler. `handler` may return at once:
 * the stream stays open (heartbeats, topic messages) until `close()` or the client leaves.
 */
export function sse(request: Request, handler: (stream: SseStream) => void | Promise<void>, options: SseOptions = {}): Response {
  const heartbeat = options.heartbeat ?? 15_000;
  const maxBuffered = options.maxBufferedAmount ?? 1024 * 1024;
  if (!Number.isFinite(heartbeat) || heartbeat < 0)
    throw new TandemError("TND_ERR_REALTIME_BAD_OPTION", `sse: heartbeat must be >= 0, got ${heartbeat}`);
  const hub = options.hub ?? currentHub();
  // The app's logger: an app that uses tandem/realtime runs its requests in its scope.
  const logger = currentScope()?.logger ?? console;
  const aborter = new AbortController();
  const topics = new Map<string, string>();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let timer: NodeJS.Timeout | undefined;

  const subscriber: Subscriber = {
    id: randomUUID(),
    deliver(delivery: Delivery) {
      const event = topics.get(delivery.topic);
      if (event !== undefined) write(`event: ${event}\ndata: ${delivery.dataJson}\n\n`);
    },
  };

  function write(text: string): void {
    if (aborter.signal.aborted) return;
    controller.enqueue(encoder.encode(text));
    // desiredSize goes negative by the bytes the client has not read yet.
    if ((controller.desiredSize ?? 0) < -maxBuffered) close();
  }

  function close(): void {
    if (aborter.signal.aborted) return;
    aborter.abort();
    clearInterval(timer);
    for (const topic of topics.keys()) hub.unsubscribe(topic, subscriber);
    topics.clear();
    request.signal.removeEventListener("abort", close);
    try {
      controller.close();
    } catch {
      // Already cancelled by the reader.
    }
  }

  const stream: SseStream = {
    send: (event) => write(format(event)),
    subscribe(topic, subscribeOptions) {
      checkTopic(topic);
      if (aborter.signal.aborted) return;
      const event = subscribeOptions?.event ?? topic;
      field("event", event);
      topics.set(topic, event);
      hub.subscribe(topic, subscriber);
    },
    unsubscribe(topic) {
      if (topics.delete(topic)) hub.unsubscribe(topic, subscriber);
    },
    close,
    signal: aborter.signal,
  };

  const body = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        if (options.retry !== undefined) write(`retry: ${Math.max(0, Math.floor(options.retry))}\n\n`);
        else write(": connected\n\n");
        if (heartbeat > 0) {
          timer = setInterval(() => write(": ping\n\n"), heartbeat);
          timer.unref();
        }
        if (request.signal.aborted) return close();
        request.signal.addEventListener("abort", close, { once: true });
        Promise.resolve()
          .then(() => handler(stream))
          .catch((error: unknown) => {
            const id = requestId(request);
            logger.error(`[tandem] ${id} realtime: sse handler failed`, error, { reqId: id });
            if (!aborter.signal.aborted)
              write(format({ event: "error", data: { code: "TND_ERR_REALTIME_HANDLER", message: "The stream failed" } }));
            close();
          });
      },
      cancel: () => close(),
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );

  const headers = new Headers(options.headers);
  headers.set("content-type", "text/event-stream; charset=utf-8");
  headers.set("cache-control", "no-cache, no-transform");
  // Tells nginx not to buffer the stream.
  headers.set("x-accel-buffering", "no");
  return new Response(body, { status: 200, headers });
}
