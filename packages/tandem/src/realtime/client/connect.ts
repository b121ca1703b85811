import { TandemError } from "../../errors/tandem-error.js";
import { backoffDelay, type ReconnectOptions } from "./backoff.js";
import { Listeners } from "./listeners.js";

/** The part of the WHATWG WebSocket the client uses; `ws`'s WebSocket fits too. */
export interface WebSocketLike {
  readonly readyState: number;
  binaryType: string;
  send(data: string | ArrayBuffer | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export type ClientState = "connecting" | "open" | "reconnecting" | "closed";

export interface ServerError {
  code: string;
  message: string;
  issues?: Array<{ message: string; path?: Array<string | number> }>;
  topic?: string;
}

export interface ConnectOptions {
  /** Needed on Node.js < 22 (no global WebSocket): `import { WebSocket } from "ws"`. */
  WebSocket?: WebSocketConstructor;
  protocols?: string | string[];
  /** false turns reconnecting off. */
  reconnect?: boolean | ReconnectOptions;
  /** Messages kept while disconnected and sent on (re)connect. Default 100. */
  maxQueue?: number;
}

export interface RealtimeClient<In = unknown, Out = unknown> {
  readonly state: ClientState;
  /** Strings and bytes go as they are, anything else as JSON. Queued while disconnected. */
  send(data: Out): void;
  /**
   * Asks the server to subscribe this connection (the socket's `subscribe` hook decides), again
   * after every reconnect. `onSubscribed` runs each time the server confirms it: from then on no
   * message on the topic is missed, so state read after it (over HTTP) is current.
   */
  subscribe<T = unknown>(topic: string, listener: (data: T) => void, onSubscribed?: () => void): () => void;
  /** Listens to a topic the server subscribes this connection to itself (in `open`). */
  onTopic<T = unknown>(topic: string, listener: (data: T) => void): () => void;
  /** Application messages: JSON-parsed when they are JSON, strings otherwise, ArrayBuffer for binary. */
  onMessage(listener: (message: In) => void): () => void;
  /** Error frames from the server (schema rejections, refused subscriptions ...). */
  onError(listener: (error: ServerError) => void): () => void;
  onState(listener: (state: ClientState) => void): () => void;
  /** Resolves when the connection is (next) open. */
  opened(): Promise<void>;
  close(code?: number, reason?: string): Promise<void>;
}

/** Close codes after which reconnecting would not help: normal, policy violation, and the app's own 4000-4999. */
function reconnectable(code: number): boolean {
  return code !== 1000 && code !== 1008 && !(code >= 4000 && code <= 4999);
}

function resolveUrl(url: string | URL): string {
  const base = (globalThis as { location?: { href: string } }).location?.href;
  const resolved = new URL(url, base);
  if (resolved.protocol === "http:") resolved.protocol = "ws:";
  if (resolved.protocol === "https:") resolved.protocol = "wss:";
  return resolved.href;
}

function encode(data: unknown): string | ArrayBuffer | ArrayBufferView {
  if (typeof data === "string" || data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data;
  return JSON.stringify(data) ?? "null";
}

export function connect<In = unknown, Out = unknown>(url: string | URL, options: ConnectOptions = {}): RealtimeClient<In, Out> {
  const found = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!found) throw new TandemError("TND_ERR_REALTIME_NO_WEBSOCKET", "No WebSocket implementation: pass { WebSocket } from the ws package");
  const Impl: WebSocketConstructor = found;
  const target = resolveUrl(url);
  const reconnect: ReconnectOptions | false =
    options.reconnect === false ? false : options.reconnect === true || options.reconnect === undefined ? {} : options.reconnect;
  const maxQueue = options.maxQueue ?? 100;
  const messages = new Listeners<In>();
  const errors = new Listeners<ServerError>();
  const states = new Listeners<ClientState>();
  const topics = new Map<string, { listeners: Listeners<unknown>; remote: number; acks: Listeners<void>; acked: boolean }>();
  const queue: Array<string | ArrayBuffer | ArrayBufferView> = [];
  let state: ClientState = "connecting";
  let socket: WebSocketLike;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waiters: Array<{ resolve(): void; reject(error: Error): void }> = [];
  let closedByUser: Promise<void> | undefined;
  let resolveClosed = () => {};

  function setState(next: ClientState): void {
    if (state === next) return;
    state = next;
    states.emit(next);
  }

  function open(): void {
    socket = new Impl(target, options.protocols);
    socket.binaryType = "arraybuffer";
    socket.onopen = () => {
      attempt = 0;
      setState("open");
      for (const [topic, entry] of topics) {
        entry.acked = false;
        if (entry.remote > 0) socket.send(JSON.stringify({ type: "$subscribe", topic }));
      }
      for (const data of queue.splice(0)) socket.send(data);
      for (const waiter of waiters.splice(0)) waiter.resolve();
    };
    socket.onmessage = (event) => receive(event.data);
    // The close event that follows says what happened; errors carry no detail in browsers.
    socket.onerror = () => {};
    socket.onclose = (event) => {
      if (closedByUser || !reconnect || !reconnectable(event.code) || attempt >= (reconnect.maxRetries ?? Infinity)) {
        setState("closed");
        const error = new Error(`WebSocket closed (${event.code}${event.reason ? `: ${event.reason}` : ""})`);
        for (const waiter of waiters.splice(0)) waiter.reject(error);
        resolveClosed();
        return;
      }
      setState("reconnecting");
      timer = setTimeout(open, backoffDelay(attempt++, reconnect));
    };
  }

  function receive(data: unknown): void {
    if (typeof data !== "string") return messages.emit(data as In);
    let value: unknown = data;
    try {
      value = JSON.parse(data);
    } catch {
      return messages.emit(data as In);
    }
    const frame = value as { type?: unknown; topic?: unknown; data?: unknown } | null;
    if (frame !== null && typeof frame === "object" && !Array.isArray(frame)) {
      if (frame.type === "$topic" && typeof frame.topic === "string") return topics.get(frame.topic)?.listeners.emit(frame.data);
      if (frame.type === "$subscribed" && typeof frame.topic === "string") {
        const entry = topics.get(frame.topic);
        if (entry === undefined) return;
        entry.acked = true;
        return entry.acks.emit(undefined);
      }
      if (frame.type === "error" && typeof (frame as { code?: unknown }).code === "string")
        return errors.emit(frame as unknown as ServerError);
    }
    messages.emit(value as In);
  }

  function listen(topic: string, listener: (data: never) => void, remote: boolean, onSubscribed?: () => void): () => void {
    if (closedByUser || state === "closed") throw new TandemError("TND_ERR_REALTIME_CLIENT_CLOSED", "This realtime client is closed");
    let entry = topics.get(topic);
    if (!entry) topics.set(topic, (entry = { listeners: new Listeners(), remote: 0, acks: new Listeners<void>(), acked: false }));
    const off = entry.listeners.add(listener as (data: unknown) => void);
    const offAck = onSubscribed === undefined ? () => {} : entry.acks.add(onSubscribed);
    // Already confirmed for an earlier subscriber: this one is subscribed too.
    if (remote && onSubscribed !== undefined && entry.acked) queueMicrotask(onSubscribed);
    if (remote && entry.remote++ === 0 && state === "open") socket.send(JSON.stringify({ type: "$subscribe", topic }));
    let done = false;
    return () => {
      if (done) return;
      done = true;
      off();
      offAck();
      if (remote && --entry.remote === 0) {
        entry.acked = false;
        if (state === "open") socket.send(JSON.stringify({ type: "$unsubscribe", topic }));
      }
      if (entry.listeners.size === 0 && entry.remote === 0) topics.delete(topic);
    };
  }

  open();

  return {
    get state() {
      return state;
    },
    send(data) {
      if (closedByUser || state === "closed") throw new TandemError("TND_ERR_REALTIME_CLIENT_CLOSED", "This realtime client is closed");
      const encoded = encode(data);
      if (state === "open") return socket.send(encoded);
      if (queue.length >= maxQueue)
        throw new TandemError("TND_ERR_REALTIME_QUEUE_FULL", `${maxQueue} messages are already waiting for the connection`);
      queue.push(encoded);
    },
    subscribe: (topic, listener, onSubscribed) => listen(topic, listener, true, onSubscribed),
    onTopic: (topic, listener) => listen(topic, listener, false),
    onMessage: (listener) => messages.add(listener),
    onError: (listener) => errors.add(listener),
    onState: (listener) => states.add(listener),
    opened() {
      if (state === "open") return Promise.resolve();
      if (state === "closed") return Promise.reject(new Error("WebSocket is closed"));
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    close(code = 1000, reason = "") {
      if (closedByUser) return closedByUser;
      closedByUser = new Promise<void>((resolve) => {
        resolveClosed = resolve;
      });
      clearTimeout(timer);
      queue.length = 0;
      if (state === "reconnecting" || socket.readyState === 3) {
        setState("closed");
        for (const waiter of waiters.splice(0)) waiter.reject(new Error("WebSocket client closed"));
        resolveClosed();
      } else if (socket.readyState === 0) {
        // Closing a socket that is still connecting makes browsers log a warning, and React's
        // StrictMode does exactly that in development (mount, unmount, mount): close on open.
        socket.onopen = () => socket.close(code, reason);
      } else {
        socket.close(code, reason);
      }
      return closedByUser;
    },
  };
}
