import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import { HttpError, TandemError } from "../errors/http-error.js";
import { errorFieldsOf } from "../errors/error-fields.js";
import { problemResponse } from "../errors/problem.js";
import { declaredLengthOf, declaredTooLarge, hasBody, overLimit, oversized, tooLarge } from "./body.js";
import { FastResponse, installFastResponse } from "./fast-response.js";
import { installFetchUnwrap } from "./fetch-unwrap.js";
import { HandlerTimeouts } from "./handler-timeout.js";
import { bodyOnWire, lingerOnClose } from "./linger.js";
import { resolveOptions, type ResolvedOptions } from "./options.js";
import { PipelineLanes } from "./pipeline.js";
import { clientErrorFor, writeRawError } from "./raw.js";
import { abortRequest, fromNodeRequest } from "./request.js";
import { messageRequestId } from "./request-id.js";
import { writeResponse } from "./response.js";
import { createShutdown } from "./shutdown.js";
import type { RunningServer, ServeOptions } from "./types.js";
import { badTarget } from "./url.js";

function shuttingDown(): HttpError {
  return new HttpError("TND_ERR_SERVER_SHUTTING_DOWN", "the server is shutting down");
}

function handlerTimedOut(ms: number): HttpError {
  return new HttpError("TND_ERR_SERVER_HANDLER_TIMEOUT", `the handler did not answer within ${ms} ms`);
}

/** The turn a request with a body is started in (see handleFetch): one settled promise for all. */
const BODY_TURN = Promise.resolve();

function handlerFailed(): HttpError {
  return new HttpError("TND_ERR_SERVER_HANDLER_FAILED", "internal server error");
}

/** Starts a node:http server that runs `fetch` for every request. Resolves once it listens. */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const config = resolveOptions(options);
  if (config.fastResponse) installFastResponse();
  installFetchUnwrap();
  const { logger } = config;
  let closing = false;
  // defaultHost is filled in once the port is known; no request arrives before that.
  const requestOptions = { bodyLimit: config.bodyLimit, trustProxy: config.trustProxy, defaultHost: "" };

  // Sockets with a response queued behind another (HTTP pipelining). During shutdown the response
  // in front must keep the socket open, or the queued one (a 503) would be lost.
  const pipelined = new WeakSet<object>();

  // errors.format "problem+json": the server's own error responses (413, 503, a bad Host ...)
  // become problem details as the app's do. Checked only for error statuses; dev asks per response.
  const format = options.errorFormat;
  const problem =
    format === undefined || format === "json" ? undefined : typeof format === "function" ? () => format() === "problem+json" : () => true;
  const asProblem = (req: IncomingMessage, response: Response): Response => {
    const fields = errorFieldsOf(response);
    if (fields === undefined || !problem!()) return response;
    const path = req.url ?? "/";
    const query = path.indexOf("?");
    const instance = path.charCodeAt(0) === 47 ? (query === -1 ? path : path.slice(0, query)) : undefined;
    return problemResponse(fields, { instance, requestId: messageRequestId(req, config.trustProxy), headers: response.headers });
  };

  const onStreamError = (error: unknown): void => logger.error("tandem: writing the response failed", error);
  const send = (req: IncomingMessage, res: ServerResponse, response: Response): void => {
    if (problem !== undefined && response.status >= 400) response = asProblem(req, response);
    try {
      const close = oversized.has(req) || (closing && (res.socket === null || !pipelined.has(req.socket)));
      if (close && bodyOnWire(req)) lingerOnClose(req);
      const head = req.method === "HEAD";
      const compressor = head ? undefined : config.compressor();
      const sent = writeResponse(res, response, { head, close, onStreamError, compressor, req });
      if (sent) sent.catch(onStreamError);
    } catch (error) {
      // Last line of defense: whatever went wrong, this request ends here and the process lives on.
      logger.error("tandem: writing the response failed", error);
      res.destroy();
    }
  };

  const recover = options.recover;
  const fail = (req: IncomingMessage, res: ServerResponse, error: unknown, request?: Request): void => {
    if (recover !== undefined && request !== undefined) {
      let response: unknown;
      try {
        response = recover(error, request);
      } catch (failure) {
        logger.error(`tandem: recover() threw for ${req.method} ${req.url}`, failure);
        return send(req, res, handlerFailed().toResponse());
      }
      if (response instanceof Response) return send(req, res, response);
      logger.error(`tandem: recover() returned ${typeof response}, not a Response, for ${req.method} ${req.url}`, error);
      return send(req, res, handlerFailed().toResponse());
    }
    if (HttpError.is(error)) return send(req, res, error.toResponse());
    // The app catches its own errors first; reaching here is a bug worth a log line, never a crash.
    logger.error(`tandem: unhandled error in fetch handler for ${req.method} ${req.url}`, error);
    send(req, res, handlerFailed().toResponse());
  };

  const timeouts =
    config.handlerTimeout === 0
      ? undefined
      : new HandlerTimeouts(config.handlerTimeout, (entry) => {
          const { req, res, request } = entry;
          logger.error(`tandem: ${req.method} ${req.url} did not answer within ${config.handlerTimeout} ms; sent 503`);
          abortRequest(request, new DOMException(`the handler did not answer within ${config.handlerTimeout} ms`, "TimeoutError"));
          send(req, res, handlerTimedOut(config.handlerTimeout).toResponse());
        });

  const handleFetch = (req: IncomingMessage, res: ServerResponse): void => {
    if (closing) return send(req, res, shuttingDown().toResponse());
    const declared = declaredLengthOf(req);
    if (overLimit(declared, config.bodyLimit)) {
      oversized.add(req);
      return send(req, res, tooLarge(config.bodyLimit).toResponse());
    }
    // node:http starts a request as soon as its headers are parsed, and pushes the body bytes that
    // came with them only afterwards, in the same read: one microtask later a small body is in
    // the request's buffer. Starting the app then lets its readers (request.json(), defineHandler)
    // take the body at once, instead of each waiting a turn of its own and the response coming
    // back through a promise: a validated JSON POST makes two promise turns fewer.
    if (!req.complete && hasBody(req, declared)) {
      void BODY_TURN.then(() => fetchGuarded(req, res));
      return;
    }
    fetchNow(req, res);
  };

  // A turn of its own must not end in a rejection nobody hears (that would end the process):
  // fetchNow catches the app's errors, this a failure of the error handling itself, such as a
  // logger that throws. The request is cut off, as after a failed write.
  const fetchGuarded = (req: IncomingMessage, res: ServerResponse): void => {
    try {
      fetchNow(req, res);
    } catch (error) {
      res.destroy();
      try {
        logger.error("tandem: handling the request failed", error);
      } catch {
        // The logger is what failed: nothing is left to tell.
      }
    }
  };

  const fetchNow = (req: IncomingMessage, res: ServerResponse): void => {
    let result: Response | Promise<Response>;
    let built: Request | undefined;
    try {
      built = fromNodeRequest(req, requestOptions, res);
      result = config.fetch(built);
    } catch (error) {
      // A request that could not be built (bad Host, bad target) has nothing for recover().
      return fail(req, res, error, built);
    }
    const request = built;
    // Most handlers are async; a synchronous Response skips a promise turn.
    if (typeof (result as { then?: unknown } | null | undefined)?.then !== "function") {
      if (result instanceof Response) return send(req, res, result);
      return fail(req, res, new TypeError(`fetch handler returned ${typeof result}, not a Response`));
    }
    const pending = timeouts?.track(req, res, request);
    Promise.resolve(result).then(
      (response) => {
        if (pending !== undefined && !timeouts!.settle(pending)) return void discard(response);
        if (response instanceof Response) send(req, res, response);
        else fail(req, res, new TypeError(`fetch handler returned ${typeof response}, not a Response`));
      },
      (error: unknown) => {
        if (pending !== undefined && !timeouts!.settle(pending)) return;
        fail(req, res, error, request);
      },
    );
  };

  const edge = options.nodeMiddleware;
  const dispatch = (req: IncomingMessage, res: ServerResponse): void => {
    if (edge === undefined || closing) return handleFetch(req, res);
    edge(req, res, () => handleFetch(req, res));
  };
  const lanes = new PipelineLanes(dispatch);
  const logAccess = (req: IncomingMessage, res: ServerResponse, started: number): void => {
    const path = req.url ?? "";
    const query = path.indexOf("?");
    logger.info("request", {
      reqId: messageRequestId(req, config.trustProxy),
      method: req.method,
      path: query === -1 ? path : path.slice(0, query),
      status: res.statusCode,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  };
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (config.accessLog) {
      const started = performance.now();
      // 'finish' comes once per response: `on` spares the once-wrapper `once` makes per request.
      res.on("finish", () => logAccess(req, res, started));
    }
    // A response is queued in front of this one: HTTP pipelining, which runs a few at a time.
    if (res.socket === null) {
      pipelined.add(req.socket);
      return lanes.admit(req, res);
    }
    dispatch(req, res);
  };

  const server = createServer(
    {
      maxHeaderSize: config.maxHeaderSize,
      headersTimeout: config.headersTimeout,
      requestTimeout: config.requestTimeout,
      keepAliveTimeout: config.keepAliveTimeout,
      // Timeouts are only as precise as this sweep: node's default 30 s would let slow-header
      // connections (slowloris) live far past headersTimeout.
      connectionsCheckingInterval: Math.max(25, Math.min(250, Math.floor(config.headersTimeout / 8))),
      // Host is checked when the URL is built, with a JSON 400 instead of node's empty one.
      requireHostHeader: false,
      // Headers keep their own case in rawHeaders; the header object is never used by the bridge.
      joinDuplicateHeaders: false,
    },
    handle,
  );
  // Expect: 100-continue gets its 100 only if the declared body fits; otherwise straight to 413.
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
    if (!closing && !declaredTooLarge(req, config.bodyLimit)) res.writeContinue();
    handle(req, res);
  });
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    const pending = (socket as { _httpMessage?: ServerResponse | null })._httpMessage;
    if (error.code === "ECONNRESET" || error.code === "EPIPE" || pending?.headersSent) {
      socket.destroy();
      return;
    }
    writeRawError(socket, clientErrorFor(error), problem?.());
  });
  // CONNECT needs a listener or node drops the socket without a word.
  server.on("connect", (_req: IncomingMessage, socket: Duplex) => {
    socket.on("error", () => socket.destroy());
    writeRawError(socket, new HttpError("TND_ERR_SERVER_METHOD", "the CONNECT method is not supported"), problem?.());
  });

  // Tracked per connection (not per request) so shutdown can reach every socket, upgraded or not.
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  if (config.onUpgrade !== undefined) {
    const onUpgrade = config.onUpgrade;
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      // node removes its own error handling from upgraded sockets; an unhandled 'error' would crash.
      socket.on("error", () => socket.destroy());
      if (closing) return writeRawError(socket, shuttingDown(), problem?.());
      const target = req.url ?? "";
      // An absolute-form target on an upgrade is how proxies get abused (CVE-2026-44578).
      if (target.charCodeAt(0) !== 47 /* / */) return writeRawError(socket, badTarget(target), problem?.());
      try {
        onUpgrade(req, socket, head);
      } catch (error) {
        logger.error("tandem: onUpgrade threw", error);
        writeRawError(socket, handlerFailed(), problem?.());
      }
    });
  }

  await listen(server, config);
  const address = server.address() as AddressInfo;
  const port = address.port;
  const urlHost = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  const bracketed = urlHost.includes(":") ? `[${urlHost}]` : urlHost;
  requestOptions.defaultHost = `${bracketed}:${port}`;

  server.once("close", () => timeouts?.close());
  const shutdown = createShutdown({
    server,
    sockets,
    hooks: config.onShutdown,
    timeout: config.shutdownTimeout,
    logger,
    begin: () => {
      closing = true;
    },
  });
  const detach = config.handleSignals ? shutdown.handleSignals() : () => {};
  return {
    url: `http://${bracketed}:${port}`,
    port,
    close: () => {
      detach();
      return shutdown.close();
    },
  };
}

/** A Response that arrived after the timeout answered: its body is never read, so release it. */
function discard(response: unknown): void {
  if (response instanceof Response && FastResponse.plain(response) === undefined) void response.body?.cancel().catch(() => {});
}

function listen(server: ReturnType<typeof createServer>, config: ResolvedOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") {
        reject(new TandemError("TND_ERR_PORT_IN_USE", `port ${config.port} is already in use; pass --port or set PORT`, { cause: error }));
      } else {
        reject(
          new TandemError("TND_ERR_SERVER_LISTEN_FAILED", `cannot listen on ${config.host}:${config.port}: ${error.message}`, {
            cause: error,
          }),
        );
      }
    };
    server.once("error", onError);
    server.listen(config.port, config.host, () => {
      server.off("error", onError);
      // Errors after listening (e.g. EMFILE on accept) are logged here instead of crashing the process.
      server.on("error", (error) => config.logger.error("tandem: server error", error));
      resolve();
    });
  });
}
