import { randomUUID } from "node:crypto";
import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";
import type { Params } from "../router/types.js";
import type { Delivery, Subscriber } from "./delivery.js";
import { checkTopic, toWire } from "./frames.js";
import type { TopicHub } from "./hub.js";
import type { Peer } from "./types.js";
import { requestId } from "../app/request-id.js";

export interface PeerOptions {
  ws: WebSocket;
  /** The upgraded connection `ws` runs on (what createRealtime handed to handleUpgrade). */
  socket: Duplex;
  hub: TopicHub;
  request: Request;
  params: Params;
  data: unknown;
  maxBufferedAmount: number;
  onPublishError: (error: unknown) => void;
}

// Ids are compared across instances (peer.publish excludes its sender everywhere), so they carry a
// random per-process prefix; a counter after it is far smaller in memory than a UUID per peer.
const PREFIX = `${randomUUID().replaceAll("-", "").slice(0, 12)}.`;
let counter = 0;
function nextId(): string {
  return PREFIX + (++counter).toString(36);
}

/** Close code for a peer dropped because it does not read (1008: policy violation). */
export const SLOW_READER_CODE = 1008;

export class SocketPeer implements Peer, Subscriber {
  readonly id = nextId();
  readonly params: Params;
  readonly requestId: string;
  /** The path the socket is connected on. */
  readonly path: string;
  data: unknown;
  /** Cleared by the heartbeat before each ping, set again by the pong. */
  alive = true;
  /** Set when the server cuts the connection off, because the close event then only says 1006. */
  dropped: { code: number; reason: string } | undefined;
  #ws: WebSocket;
  #socket: Duplex;
  #hub: TopicHub;
  #request: Request | RequestSnapshot;
  // Created on first subscribe: most connections of a big fleet never hold more than a topic or two.
  #topics: Set<string> | undefined;
  #detached = false;
  #maxBuffered: number;
  #onPublishError: (error: unknown) => void;

  constructor(options: PeerOptions) {
    this.#ws = options.ws;
    this.#socket = options.socket;
    this.#hub = options.hub;
    // Holding the upgrade Request would keep node's IncomingMessage alive for the whole connection
    // (several KB each); keep its url and headers and rebuild a Request if a handler asks.
    this.#request = snapshot(options.request);
    // Taken now: the snapshot drops the server request that knows its id.
    this.requestId = requestId(options.request);
    const url = this.#request.url;
    const start = url.indexOf("/", url.indexOf("//") + 2);
    const query = url.indexOf("?", start);
    this.path = start === -1 ? "/" : url.slice(start, query === -1 ? undefined : query);
    this.params = options.params;
    this.data = options.data;
    this.#maxBuffered = options.maxBufferedAmount;
    this.#onPublishError = options.onPublishError;
  }

  get request(): Request {
    if (!(this.#request instanceof Request)) {
      const { url, method, headers: flat } = this.#request;
      const headers = new Headers();
      for (let i = 0; i < flat.length; i += 2) headers.append(flat[i]!, flat[i + 1]!);
      this.#request = new Request(url, { method, headers });
    }
    return this.#request;
  }

  get topics(): ReadonlySet<string> {
    return this.#topics ?? EMPTY;
  }

  get open(): boolean {
    return this.#ws.readyState === this.#ws.OPEN;
  }

  get ws(): WebSocket {
    return this.#ws;
  }

  send(data: unknown): void {
    if (!this.open) return;
    const { payload, binary } = toWire(data);
    this.#ws.send(payload, { binary });
    this.#checkBackpressure();
  }

  // The hot path of fan-out: the frame was built once for all subscribers (delivery.wire), so a
  // delivery is one write of shared bytes, where ws.send would frame it again and write header
  // and payload separately. Safe beside ws's own writes because ws writes synchronously when
  // nothing is compressed (deflate is off), so frames reach the socket in call order.
  deliver(delivery: Delivery): void {
    if (this.#ws.readyState !== OPEN) return;
    this.#socket.write(delivery.wire);
    this.#checkBackpressure();
  }

  subscribe(topic: string): void {
    checkTopic(topic);
    // After close the hub must not hold on to this peer (an async handler may still run).
    if (this.#detached || this.#topics?.has(topic)) return;
    (this.#topics ??= new Set()).add(topic);
    this.#hub.subscribe(topic, this);
  }

  unsubscribe(topic: string): void {
    if (!this.#topics?.delete(topic)) return;
    this.#hub.unsubscribe(topic, this);
  }

  publish(topic: string, data: unknown): void {
    this.#hub.publish(topic, data, this.id).catch(this.#onPublishError);
  }

  close(code = 1000, reason = ""): void {
    this.#ws.close(code, reason);
  }

  /** Leaves every topic; called once the socket is closed. */
  detach(): void {
    this.#detached = true;
    for (const topic of this.#topics ?? EMPTY) this.#hub.unsubscribe(topic, this);
    this.#topics = undefined;
  }

  // A client that stops reading would make us buffer without bound and slow every publish;
  // it is cut off instead (no close handshake: it would not read the close frame either).
  #checkBackpressure(): void {
    if (this.#ws.bufferedAmount <= this.#maxBuffered) return;
    this.drop(SLOW_READER_CODE, "slow reader");
  }

  drop(code: number, reason: string): void {
    this.dropped ??= { code, reason };
    this.#ws.terminate();
  }
}

const EMPTY: ReadonlySet<string> = new Set();
const OPEN = 1;

interface RequestSnapshot {
  url: string;
  method: string;
  /** name, value, name, value ... (one array instead of one per header). */
  headers: string[];
}

function snapshot(request: Request): RequestSnapshot {
  const headers: string[] = [];
  request.headers.forEach((value, name) => {
    headers.push(name, value);
  });
  return { url: request.url, method: request.method, headers };
}
