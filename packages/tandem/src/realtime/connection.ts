import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { RawData } from "ws";
import { HttpError } from "../errors/http-error.js";
import { checkTopic, errorFrame } from "./frames.js";
import type { SocketPeer } from "./peer.js";
import type { SocketDefinition } from "./types.js";
import { channels, traced } from "../tracing/channels.js";

/** Messages read ahead of the handler before the socket is paused (inbound backpressure). */
const MAX_PENDING = 32;

export interface ConnectionLogger {
  error(...args: unknown[]): void;
}

/**
 * Runs a socket definition's handlers for one peer. Messages are handled one at a time, in
 * order, even when handlers are async; a handler that throws gets an error frame, never a crash.
 * A class with prototype methods rather than closures: with 10,000 connections, every
 * per-connection function object shows up in the server's memory.
 */
export class Connection {
  readonly #definition: SocketDefinition;
  readonly #peer: SocketPeer;
  readonly #logger: ConnectionLogger;
  /** Handlers started and not finished; the open handler counts as the first. */
  #pending = 1;
  #chain: Promise<void>;

  /**
   * `enter` runs the handlers in their app's scope (decision 0009): ws calls its listeners from
   * the socket's context, not from the one the connection was made in.
   */
  constructor(
    definition: SocketDefinition,
    peer: SocketPeer,
    logger: ConnectionLogger,
    onClosed: (peer: SocketPeer) => void,
    enter: <T>(fn: () => T, requestId?: string) => T = (fn) => fn(),
  ) {
    this.#definition = definition;
    this.#peer = peer;
    this.#logger = logger;
    const ws = peer.ws;
    // The upgrade request's id goes with the handlers: a job they enqueue carries it.
    const id = peer.requestId;
    this.#chain = enter(() => this.#run("open", undefined), id).then(() => this.#done());
    ws.on("message", (raw: RawData, isBinary: boolean) => enter(() => this.#enqueue(raw, isBinary), id));
    ws.on("pong", () => {
      peer.alive = true;
    });
    ws.on("error", (error: Error) => {
      // ws already closes the socket itself (1009 too big, 1002 protocol error ...); this is for the app.
      if (this.#definition.error) void enter(() => this.#run("error", error), id);
    });
    ws.once("close", (code: number, reason: Buffer) => {
      peer.detach();
      onClosed(peer);
      const details = peer.dropped ?? { code, reason: reason.toString("utf8") };
      enter(() => {
        this.#chain = this.#chain.then(() => this.#run("close", details));
      }, id);
    });
  }

  #enqueue(raw: RawData, isBinary: boolean): void {
    // Nothing in flight: run the handler right away, and only pay for promises if it is async.
    if (this.#pending === 0) {
      this.#pending = 1;
      const result = this.#message(raw, isBinary);
      if (result === undefined) this.#pending = 0;
      else this.#chain = result.then(() => this.#done());
      return;
    }
    if (++this.#pending >= MAX_PENDING) this.#peer.ws.pause();
    this.#chain = this.#chain.then(() => this.#message(raw, isBinary)).then(() => this.#done());
  }

  #done(): void {
    const ws = this.#peer.ws;
    if (--this.#pending < MAX_PENDING && ws.isPaused) ws.resume();
  }

  /** Handles one message; returns a promise only when something async is still running. Never throws. */
  #message(raw: RawData, isBinary: boolean): Promise<void> | undefined {
    try {
      const bytes = toBuffer(raw);
      const result = channels.socket.hasSubscribers
        ? traced(channels.socket, { peer: this.#peer, path: this.#peer.path, binary: isBinary, size: bytes.byteLength }, () =>
            this.#handle(bytes, isBinary),
          )
        : this.#handle(bytes, isBinary);
      if (!isThenable(result)) return undefined;
      return Promise.resolve(result).then(undefined, (error: unknown) => this.#report(error, "message"));
    } catch (error) {
      return this.#report(error, "message");
    }
  }

  async #run(stage: "open" | "close" | "error", arg: unknown): Promise<void> {
    const peer = this.#peer;
    const definition = this.#definition;
    try {
      if (stage === "open") await definition.open?.(peer);
      else if (stage === "close") await definition.close?.(peer, arg as { code: number; reason: string });
      else await definition.error?.(peer, arg);
    } catch (error) {
      await this.#report(error, stage);
    }
  }

  async #report(error: unknown, stage: string): Promise<void> {
    const peer = this.#peer;
    if (HttpError.is(error)) {
      peer.send(errorFrame(error.code, error.message, error.details));
    } else if (stage === "message") {
      peer.send(errorFrame("TND_ERR_REALTIME_HANDLER", "The server failed to handle this message"));
    }
    if (this.#definition.error && stage !== "error") {
      try {
        await this.#definition.error(peer, error);
        return;
      } catch (inner) {
        error = inner;
      }
    }
    this.#logger.error(`[tandem] realtime: ${stage} handler failed for ${peer.request.url}`, error, { reqId: peer.requestId });
    if (stage === "open") peer.close(1011, "open handler failed");
  }

  #handle(raw: Buffer, isBinary: boolean): unknown {
    const definition = this.#definition;
    const text = isBinary ? undefined : raw.toString("utf8");
    if (text !== undefined && text.length < 1024 && text.includes('"$')) return this.#controlOrMessage(text);
    if (!definition.schema) return definition.message?.(this.#peer, text ?? new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
    return this.#validated(text);
  }

  async #controlOrMessage(text: string): Promise<void> {
    if (await this.#control(text)) return;
    if (!this.#definition.schema) return void (await this.#definition.message?.(this.#peer, text));
    await this.#validated(text);
  }

  async #validated(text: string | undefined): Promise<void> {
    const definition = this.#definition;
    const peer = this.#peer;
    if (text === undefined) {
      peer.send(errorFrame("TND_ERR_REALTIME_BAD_JSON", "This socket accepts JSON text frames, not binary"));
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      peer.send(errorFrame("TND_ERR_REALTIME_BAD_JSON", `Message is not valid JSON: ${(error as Error).message}`));
      return;
    }
    const result = await (definition.schema as StandardSchemaV1)["~standard"].validate(value);
    if (result.issues) {
      const issues = result.issues.map((issue) => ({ message: issue.message, path: issue.path?.map(pathKey) }));
      peer.send(errorFrame("TND_ERR_REALTIME_INVALID_MESSAGE", "Message does not match the socket's schema", { issues }));
      return;
    }
    await definition.message?.(peer, result.value as never);
  }

  /** Client-managed subscriptions ({ type: "$subscribe" | "$unsubscribe", topic }). */
  async #control(text: string): Promise<boolean> {
    let frame: { type?: unknown; topic?: unknown } | null;
    try {
      frame = JSON.parse(text) as typeof frame;
    } catch {
      return false;
    }
    if (typeof frame !== "object" || frame === null) return false;
    if (frame.type !== "$subscribe" && frame.type !== "$unsubscribe") return false;
    const peer = this.#peer;
    const hook = this.#definition.subscribe;
    const topic = checkTopic(frame.topic);
    if (frame.type === "$unsubscribe") {
      peer.unsubscribe(topic);
      return true;
    }
    const allowed = hook ? await hook(peer, topic) : false;
    if (allowed !== true) {
      const why = hook ? "was refused by the socket's subscribe hook" : "is not allowed: this socket has no subscribe hook";
      peer.send(errorFrame("TND_ERR_REALTIME_SUBSCRIBE_DENIED", `Subscribing to "${topic}" ${why}`, { topic }));
      return true;
    }
    peer.subscribe(topic);
    peer.send(JSON.stringify({ type: "$subscribed", topic }));
    return true;
  }
}

function pathKey(segment: PropertyKey | StandardSchemaV1.PathSegment): string | number {
  const key = typeof segment === "object" ? segment.key : segment;
  return typeof key === "symbol" ? key.toString() : key;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

function toBuffer(raw: RawData): Buffer {
  if (Buffer.isBuffer(raw)) return raw;
  if (Array.isArray(raw)) return Buffer.concat(raw);
  return Buffer.from(raw);
}
