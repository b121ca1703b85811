import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { CompressionOptions } from "../compression/compressor.js";
import type { ErrorFormat } from "../errors/error-fields.js";

/** What the node server needs from an app: the Web-standard fetch handler. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

export interface ServerLimits {
  /** Max request body in bytes (after decoding chunked). Default 1 MiB. Over -> 413. */
  bodyLimit?: number;
  /** node:http's maxHeaderSize: bytes of the request line and header fields. Default 16 KiB. Over -> 431. */
  maxHeaderSize?: number;
  /** ms to receive all headers. Default 10 s. */
  headersTimeout?: number;
  /** ms to receive the whole request (headers + body). Default 30 s. Over -> 408. */
  requestTimeout?: number;
  /**
   * ms a handler has to return its Response (headers; a streamed body may take longer), counted
   * from when the request body has arrived: a slow upload is requestTimeout's 408. Default 30 s;
   * 0 turns it off. Over -> 503, and `request.signal` aborts with a TimeoutError.
   */
  handlerTimeout?: number;
  /** ms an idle keep-alive socket stays open. Default 72 s (longer than common load balancers' 60 s). */
  keepAliveTimeout?: number;
  /** ms a graceful shutdown waits for in-flight requests. Default 10 s. */
  shutdownTimeout?: number;
}

export interface ServeOptions extends ServerLimits {
  fetch: FetchHandler;
  /**
   * The response for an error that `fetch` threw or rejected with. Default: an HttpError's own
   * response, anything else a logged 500 without details. An app passes its own mapping
   * (redirects, not-found, development error pages), which lets its `fetch` hand back a route
   * handler's promise as it is instead of wrapping it in one more promise to catch errors.
   */
  recover?: (error: unknown, request: Request) => Response;
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** Default "0.0.0.0" (the CLI's dev command passes "localhost"). */
  host?: string;
  /**
   * Build `request.url` from X-Forwarded-Proto and X-Forwarded-Host. Default false: only set it behind
   * a proxy that overwrites those headers, or any client can choose the URL the app sees.
   */
  trustProxy?: boolean;
  /**
   * Called for HTTP upgrade requests that passed the server's own checks (target form, shutting down).
   * The realtime feature provides it. The server tracks the socket and destroys it on forced shutdown.
   */
  onUpgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /**
   * A connect-style middleware run before `fetch` (dev only: Vite's middlewares serve client
   * modules and assets). Tandem's own code never uses this shape; it exists to adapt at the edge.
   */
  nodeMiddleware?: (req: IncomingMessage, res: import("node:http").ServerResponse, next: () => void) => void;
  /** Run during graceful shutdown after the server stops accepting, before waiting for in-flight requests. */
  onShutdown?: Array<() => void | Promise<void>>;
  /**
   * Replace the global Response with Tandem's FastResponse, which defers building undici's Response
   * (and its ReadableStream) until something needs it; `instanceof Response` keeps working. Default true.
   */
  fastResponse?: boolean;
  /** Install SIGTERM/SIGINT handlers that shut down gracefully and exit 0. Default false; the CLI passes true. */
  handleSignals?: boolean;
  /**
   * Compress response bodies (brotli, zstd, gzip, as the client's Accept-Encoding allows) of
   * compressible types above a size threshold. Default false here; `tandem start` and `tandem dev`
   * turn it on unless tandem.config.ts says `compression: false`. A function is asked for every
   * response, for settings that change while the server runs (dev reloads the config).
   */
  compression?: boolean | CompressionOptions | (() => boolean | CompressionOptions | undefined);
  /**
   * One `info` line per request once its response is sent: request id, method, path, status and
   * milliseconds. Default false.
   */
  accessLog?: boolean;
  /**
   * "problem+json" writes the error responses Tandem builds (its HttpErrors, the server's own
   * 413/503/400s) as RFC 9457 problem details. Default "json". A function is asked per error
   * response (dev reloads the config).
   */
  errorFormat?: ErrorFormat | (() => ErrorFormat | undefined);
  /** For error logs. Default console. */
  logger?: Pick<Console, "error" | "warn" | "info">;
}

export interface RunningServer {
  /** e.g. "http://127.0.0.1:3000" */
  url: string;
  port: number;
  /** Graceful: stop accepting, 503 + Connection: close on open connections, finish in-flight, close idle. */
  close(): Promise<void>;
}
