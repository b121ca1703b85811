import { randomUUID } from "node:crypto";
import type { WebSocket } from "ws";
import type { Params } from "../router/types.js";
import type { Delivery, Subscriber } from "./delivery.js";
import { checkTopic, toWire } from "./frames.js";
import type { TopicHub } from "./hub.js";
import type { Peer } from "./types.js";

export interface PeerOptions {
  ws: WebSocket;
  hub: TopicHub;
  request: Request;
  params: Params;
  data: unknown;
  maxBufferedAmount: number;
  onPublishError: (error: unknown) => void;
}

/** Close code for a peer dropped because it does not read (1008: policy violation). */
export const SLOW_READER_CODE = 1008;

export class SocketPeer implements Peer, Subscriber {
  readonly id = randomUUID();
  readonly params: Params;
  readonly request: Request;
  data: unknown;
  /** Cleared by the heartbeat before each ping, set again by the pong. */
  alive = true;
  /** Set when the server cuts the connection off, because the close event then only says 1006. */
  dropped: { code: number; reason: string } | undefined;
  #ws: WebSocket;
  #hub: TopicHub;
  #topics = new Set<string>();
  #detached = false;
  #maxBuffered: number;
  #onPublishError: (error: unknown) => void;

  constructor(options: PeerOptions) {
    this.#ws = options.ws;
    this.#hub = options.hub;
    this.request = options.request;
    this.params = options.params;
    this.data = options.data;
    this.#maxBuffered = options.maxBufferedAmount;
    this.#onPublishError = options.onPublishError;
  }

  get topics(): ReadonlySet<string> {
    return this.#topics;
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

  deliver(delivery: Delivery): void {
    if (!this.open) return;
    this.#ws.send(delivery.bytes, { binary: false });
    this.#checkBackpressure();
  }

  subscribe(topic: string): void {
    checkTopic(topic);
    // After close the hub must not hold on to this peer (an async handler may still run).
    if (this.#detached || this.#topics.has(topic)) return;
    this.#topics.add(topic);
    this.#hub.subscribe(topic, this);
  }

  unsubscribe(topic: string): void {
    if (!this.#topics.delete(topic)) return;
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
    for (const topic of this.#topics) this.#hub.unsubscribe(topic, this);
    this.#topics.clear();
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
