import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { Params } from "../router/types.js";

/** One WebSocket connection, named and shaped as in crossws and Bun. */
export interface Peer<TData = unknown> {
  /** Random id, unique per connection. */
  readonly id: string;
  /** Dynamic segments of the socket route's URL. */
  readonly params: Params;
  /** The upgrade request, with middleware's request-header overrides applied. */
  readonly request: Request;
  /** The upgrade request's id (what `requestId(request)` gave at the upgrade): for the handlers' log lines. */
  readonly requestId: string;
  /** Per-connection bag: what `upgrade` returned as `{ data }` (or `{}`). Mutable. */
  data: TData;
  /** Topics this peer is subscribed to. */
  readonly topics: ReadonlySet<string>;
  /** Open until close starts. */
  readonly open: boolean;
  /** Strings go as text, ArrayBuffer and typed arrays as binary, anything else as JSON text. */
  send(data: unknown): void;
  subscribe(topic: string): void;
  unsubscribe(topic: string): void;
  /** Sends to every subscriber of `topic` on every instance, except this peer. */
  publish(topic: string, data: unknown): void;
  close(code?: number, reason?: string): void;
}

export interface UpgradeContext {
  params: Params;
  /** Cookies of the upgrade request, parsed. */
  cookies: ReadonlyMap<string, string>;
}

/** Return a Response to refuse the upgrade, or `{ data }` (or nothing) to accept it. */
export type UpgradeResult<TData> = Response | { data: TData } | void | undefined;

export interface CloseDetails {
  code: number;
  reason: string;
}

/** The message a handler receives: the schema's output, or the raw frame without a schema. */
export type IncomingMessage<TSchema> = TSchema extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<TSchema> : string | Uint8Array;

type Awaitable<T> = T | Promise<T>;

export interface SocketHooks<TSchema extends StandardSchemaV1 | undefined, TData> {
  /** Validates each incoming message (JSON text). Invalid messages get an error frame. */
  schema?: TSchema;
  upgrade?: (request: Request, context: UpgradeContext) => Awaitable<UpgradeResult<TData>>;
  open?: (peer: Peer<TData>) => Awaitable<void>;
  message?: (peer: Peer<TData>, message: IncomingMessage<TSchema>) => Awaitable<void>;
  close?: (peer: Peer<TData>, details: CloseDetails) => Awaitable<void>;
  error?: (peer: Peer<TData>, error: unknown) => Awaitable<void>;
  /**
   * Decides whether a client may subscribe itself to `topic` (the client's `subscribe`).
   * Without this hook clients cannot subscribe themselves; the server can always call peer.subscribe.
   */
  subscribe?: (peer: Peer<TData>, topic: string) => Awaitable<boolean>;
}

export interface SocketDefinition<TSchema extends StandardSchemaV1 | undefined = StandardSchemaV1 | undefined, TData = unknown>
  extends SocketHooks<TSchema, TData> {
  readonly kind: "tandem.socket";
}

/** Frames Tandem itself sends (topic deliveries and errors); application frames are free-form. */
export type ServerFrame =
  | { type: "$topic"; topic: string; data: unknown }
  | { type: "$subscribed"; topic: string }
  | { type: "error"; code: string; message: string; issues?: Array<{ message: string; path?: Array<string | number> }>; topic?: string };

/** Frames the Tandem client sends to manage its own subscriptions. */
export type ClientControlFrame = { type: "$subscribe"; topic: string } | { type: "$unsubscribe"; topic: string };
