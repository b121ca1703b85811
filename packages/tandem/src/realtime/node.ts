import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type ServerOptions, type WebSocket } from "ws";
import type { AppScope } from "../app/scope.js";
import type { ErrorFormat } from "../errors/error-fields.js";
import { problemResponse } from "../errors/problem.js";
import { HttpError, TandemError } from "../errors/http-error.js";
import type { Params } from "../router/types.js";
import { Connection } from "./connection.js";
import { appHub } from "./app-hub.js";
import { isSocketDefinition } from "./define-socket.js";
import { checkOrigin, normalizeOrigins, parseCookies, toUpgradeRequest, writeResponse } from "./handshake.js";
import { TopicHub } from "./hub.js";
import { SocketPeer } from "./peer.js";
import { redisBroker } from "./redis-broker.js";
import type { SocketDefinition } from "./types.js";

/** What `app.upgrade(request)` answers (the app runs middleware and routing, as for fetch). */
export type AppUpgradeResult =
  | { kind: "socket"; module: Record<string, unknown>; params: Params; request: Request }
  | { kind: "response"; response: Response };

export interface RealtimeOptions {
  app: { upgrade(request: Request): Promise<AppUpgradeResult> };
  /** Origins allowed besides the request's own (Host). e.g. ["https://admin.example.com"]. */
  allowedOrigins?: readonly string[];
  /** Largest incoming message in bytes; bigger closes with 1009. Default 1 MiB. */
  maxMessageSize?: number;
  /** ms between pings; a peer that has not answered the previous ping is dropped. Default 30 s, 0 = off. */
  heartbeatInterval?: number;
  /** Bytes queued for one client before it is cut off as a slow reader. Default 1 MiB. */
  maxBufferedAmount?: number;
  /** ms for middleware, routing and the socket's upgrade handler together. Default 10 s. */
  upgradeTimeout?: number;
  /** ms close() waits for close handshakes before cutting sockets. Default 3 s. */
  shutdownTimeout?: number;
  /** Fan out publish through Redis. Default process.env.REDIS_URL; "" forces in-process. */
  redisUrl?: string;
  /** Builds the Web Request for an upgrade (the server's fromNodeRequest). */
  toRequest?: (req: IncomingMessage) => Request;
  logger?: Pick<Console, "error" | "warn">;
  /**
   * The app's scope: upgrades and socket handlers run in it, and its hub is the one `publish`
   * reaches from that app's handlers and jobs. Without one, the server has a hub of its own.
   */
  scope?: AppScope;
  /** "problem+json": a refused upgrade answers RFC 9457 problem details (tandem.config.ts `errors.format`). Default "json". */
  errorFormat?: ErrorFormat;
}

export interface Realtime {
  /** Hand to serve({ onUpgrade }). */
  onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Publish to every subscriber of `topic` on every instance. */
  publish(topic: string, data: unknown): Promise<void>;
  /** Open connections on this instance. */
  readonly connections: number;
  /** Refuses new upgrades, closes every socket with 1001, then disconnects from Redis. */
  close(): Promise<void>;
}

const MiB = 1024 * 1024;

function limit(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min) {
    throw new TandemError("TND_ERR_REALTIME_BAD_OPTION", `createRealtime: ${name} must be a number >= ${min}, got ${value}`);
  }
  return value;
}

export function createRealtime(options: RealtimeOptions): Realtime {
  const logger = options.logger ?? console;
  const maxPayload = limit("maxMessageSize", options.maxMessageSize, MiB, 1);
  const heartbeat = limit("heartbeatInterval", options.heartbeatInterval, 30_000, 0);
  const maxBufferedAmount = limit("maxBufferedAmount", options.maxBufferedAmount, MiB, 1);
  const upgradeTimeout = limit("upgradeTimeout", options.upgradeTimeout, 10_000, 1);
  const shutdownTimeout = limit("shutdownTimeout", options.shutdownTimeout, 3_000, 0);
  let allowed: Set<string>;
  try {
    allowed = normalizeOrigins(options.allowedOrigins);
  } catch (cause) {
    throw new TandemError(
      "TND_ERR_REALTIME_BAD_OPTION",
      `createRealtime: allowedOrigins holds an invalid URL (${(cause as Error).message})`,
    );
  }
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? "";
  const scope = options.scope;
  const hub = scope
    ? appHub(scope, { redisUrl, logger })
    : new TopicHub({ logger, ...(redisUrl ? { broker: redisBroker({ url: redisUrl, logger }) } : {}) });
  const enter = scope ? <T>(fn: () => T, requestId?: string): T => scope.run(fn, requestId) : undefined;
  const toRequest = options.toRequest ?? ((req: IncomingMessage) => toUpgradeRequest(req));
  const wssOptions: ServerOptions & { maxFragments?: number; maxBufferedChunks?: number } = {
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload,
    // Bounds on how a message may be split (ws 8.21 DoS fix); tighter than ws's defaults.
    maxFragments: 1024,
    maxBufferedChunks: 16 * 1024,
  };
  const wss = new WebSocketServer(wssOptions);
  const peers = new Set<SocketPeer>();
  let closing = false;
  const onPeerClosed = (peer: SocketPeer) => peers.delete(peer);
  const onPublishError = (error: unknown) => logger.error("[tandem] realtime: publish failed", error);

  const timer =
    heartbeat > 0
      ? setInterval(() => {
          for (const peer of peers) {
            if (!peer.alive) {
              peer.drop(1006, "no pong within the heartbeat interval");
              continue;
            }
            peer.alive = false;
            peer.ws.ping();
          }
        }, heartbeat)
      : undefined;
  timer?.unref();

  function withTimeout<T>(value: T | Promise<T>): Promise<T> {
    let handle: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      handle = setTimeout(() => reject(new HttpError("TND_ERR_REALTIME_UPGRADE_TIMEOUT", "The upgrade took too long")), upgradeTimeout);
    });
    return Promise.race([Promise.resolve(value), timeout]).finally(() => clearTimeout(handle));
  }

  async function accept(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (closing) throw new HttpError("TND_ERR_REALTIME_SHUTTING_DOWN", "Server is shutting down");
    if (req.headers.upgrade?.toLowerCase() !== "websocket") {
      throw new HttpError("TND_ERR_REALTIME_NOT_WEBSOCKET", "Only WebSocket upgrades are supported (Upgrade: websocket)");
    }
    const request = toRequest(req);
    checkOrigin(request, allowed);
    const routed = await withTimeout(options.app.upgrade(request));
    if (routed.kind === "response") return writeResponse(socket, routed.response);
    const definition = routed.module.default;
    if (!isSocketDefinition(definition)) {
      throw new HttpError("TND_ERR_REALTIME_BAD_SOCKET_MODULE", "Socket route is misconfigured");
    }
    const data = await runUpgradeHook(definition, routed.request, routed.params);
    if (data instanceof Response) return writeResponse(socket, data);
    if (socket.destroyed) return;
    if (closing) throw new HttpError("TND_ERR_REALTIME_SHUTTING_DOWN", "Server is shutting down");
    wss.handleUpgrade(req, socket, head, (ws) => adopt(ws, socket, definition, routed.request, routed.params, data.value));
  }

  // A separate function on purpose: closures made here live as long as the connection, and must
  // not keep accept()'s scope (the upgrade request and node's IncomingMessage) alive with them.
  function adopt(ws: WebSocket, socket: Duplex, definition: SocketDefinition, request: Request, params: Params, data: unknown): void {
    if (closing) {
      ws.close(1001, "server shutting down");
      return;
    }
    const peer = new SocketPeer({ ws, socket, hub, request, params, data, maxBufferedAmount, onPublishError });
    peers.add(peer);
    new Connection(definition, peer, logger, onPeerClosed, enter);
  }

  async function runUpgradeHook(definition: SocketDefinition, request: Request, params: Params): Promise<Response | { value: unknown }> {
    if (!definition.upgrade) return { value: {} };
    const result: unknown = await withTimeout(
      definition.upgrade(request, { params, cookies: parseCookies(request.headers.get("cookie")) }),
    );
    if (result instanceof Response) return result;
    if (result === undefined) return { value: {} };
    if (typeof result === "object" && result !== null && "data" in result) return { value: (result as { data: unknown }).data };
    throw new HttpError("TND_ERR_REALTIME_UPGRADE_FAILED", "Socket upgrade handler returned an invalid value", {
      cause: new TypeError(`upgrade() must return a Response, { data } or nothing; got ${typeof result}`),
    });
  }

  function refuse(req: IncomingMessage, socket: Duplex, error: unknown): void {
    const known = HttpError.is(error);
    if (!known || error.status >= 500) logger.error("[tandem] realtime: upgrade failed", known ? (error.cause ?? error) : error);
    const refusal = known ? error : new HttpError("TND_ERR_REALTIME_UPGRADE_FAILED", "Upgrade failed");
    const response =
      options.errorFormat === "problem+json"
        ? problemResponse(refusal, { instance: (req.url ?? "/").split("?")[0], headers: refusal.headers })
        : refusal.toResponse();
    writeResponse(socket, response).catch(() => socket.destroy());
  }

  return {
    onUpgrade(req, socket, head) {
      // A client reset during the handshake must not become an uncaught 'error' event.
      socket.on("error", () => socket.destroy());
      const accepted = enter ? enter(() => accept(req, socket, head)) : accept(req, socket, head);
      accepted.catch((error: unknown) => refuse(req, socket, error));
    },
    publish: (topic, data) => hub.publish(topic, data),
    get connections() {
      return peers.size;
    },
    async close() {
      if (closing) return;
      closing = true;
      if (timer) clearInterval(timer);
      const closed = [...peers].map(
        (peer) =>
          new Promise<void>((resolve) => {
            peer.ws.once("close", () => resolve());
            peer.close(1001, "server shutting down");
          }),
      );
      let cut: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(closed),
        new Promise<void>((resolve) => {
          cut = setTimeout(resolve, shutdownTimeout);
        }),
      ]);
      clearTimeout(cut);
      for (const peer of peers) peer.ws.terminate();
      // A hub of the app's scope closes with the app.
      if (!scope) await hub.close();
    },
  };
}
