import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { RawData } from "ws";
import { HttpError } from "../errors/http-error.js";
import { checkTopic, errorFrame } from "./frames.js";
import type { SocketPeer } from "./peer.js";
import type { SocketDefinition } from "./types.js";

/** Messages read ahead of the handler before the socket is paused (inbound backpressure). */
const MAX_PENDING = 32;

export interface ConnectionLogger {
  error(...args: unknown[]): void;
}

/**
 * Runs a socket definition's handlers for one peer. Messages are handled one at a time, in
 * order, even when handlers are async; a handler that throws gets an error frame, never a crash.
 */
export function runConnection(definition: SocketDefinition, peer: SocketPeer, logger: ConnectionLogger): void {
  const ws = peer.ws;
  let pending = 0;
  let chain: Promise<void> = run(() => definition.open?.(peer), "open");

  function run(step: () => unknown, stage: string): Promise<void> {
    return (async () => {
      try {
        await step();
      } catch (error) {
        await report(error, stage);
      }
    })();
  }

  async function report(error: unknown, stage: string): Promise<void> {
    if (HttpError.is(error)) {
      peer.send(errorFrameText(error.code, error.message, error.details));
    } else if (stage === "message") {
      peer.send(errorFrameText("TND_ERR_REALTIME_HANDLER", "The server failed to handle this message"));
    }
    if (definition.error) {
      try {
        await definition.error(peer, error);
        return;
      } catch (inner) {
        error = inner;
      }
    }
    logger.error(`[tandem] realtime: ${stage} handler failed for ${peer.request.url}`, error);
    if (stage === "open") peer.close(1011, "open handler failed");
  }

  ws.on("message", (raw: RawData, isBinary: boolean) => {
    pending++;
    if (pending >= MAX_PENDING) ws.pause();
    chain = chain.then(() => run(() => handle(toBuffer(raw), isBinary), "message")).then(() => {
      pending--;
      if (pending < MAX_PENDING && ws.isPaused) ws.resume();
    });
  });

  ws.on("error", (error: Error) => {
    // ws already closes the socket itself (1009 too big, 1002 protocol error ...); this is for logs.
    if (definition.error) run(() => definition.error?.(peer, error), "error");
  });

  ws.once("close", (code: number, reason: Buffer) => {
    peer.detach();
    const details = peer.dropped ?? { code, reason: reason.toString("utf8") };
    chain = chain.then(() => run(() => definition.close?.(peer, details), "close"));
  });

  async function handle(raw: Buffer, isBinary: boolean): Promise<void> {
    const text = isBinary ? undefined : raw.toString("utf8");
    if (text !== undefined && text.length < 1024 && text.includes('"$')) {
      if (await control(text)) return;
    }
    if (!definition.message && !definition.schema) return;
    if (!definition.schema) {
      await definition.message?.(peer, text ?? new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
      return;
    }
    if (text === undefined) {
      peer.send(errorFrameText("TND_ERR_REALTIME_BAD_JSON", "This socket accepts JSON text frames, not binary"));
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      peer.send(errorFrameText("TND_ERR_REALTIME_BAD_JSON", `Message is not valid JSON: ${(error as Error).message}`));
      return;
    }
    const schema = definition.schema as StandardSchemaV1;
    const result = await schema["~standard"].validate(value);
    if (result.issues) {
      const issues = result.issues.map((issue) => ({ message: issue.message, path: issue.path?.map(pathKey) }));
      peer.send(errorFrameText("TND_ERR_REALTIME_INVALID_MESSAGE", "Message does not match the socket's schema", { issues }));
      return;
    }
    await definition.message?.(peer, result.value as never);
  }

  /** Client-managed subscriptions ({ type: "$subscribe" | "$unsubscribe", topic }). */
  async function control(text: string): Promise<boolean> {
    let frame: { type?: unknown; topic?: unknown };
    try {
      frame = JSON.parse(text) as typeof frame;
    } catch {
      return false;
    }
    if (typeof frame !== "object" || frame === null) return false;
    if (frame.type !== "$subscribe" && frame.type !== "$unsubscribe") return false;
    const topic = checkTopic(frame.topic);
    if (frame.type === "$unsubscribe") {
      peer.unsubscribe(topic);
      return true;
    }
    const allowed = definition.subscribe ? await definition.subscribe(peer, topic) : false;
    if (allowed !== true) {
      const why = definition.subscribe ? "was refused by the socket's subscribe hook" : "is not allowed: this socket has no subscribe hook";
      peer.send(errorFrameText("TND_ERR_REALTIME_SUBSCRIBE_DENIED", `Subscribing to "${topic}" ${why}`, { topic }));
      return true;
    }
    peer.subscribe(topic);
    peer.send(JSON.stringify({ type: "$subscribed", topic }));
    return true;
  }
}

function errorFrameText(code: string, message: string, extra?: Record<string, unknown>): string {
  return errorFrame(code, message, extra);
}

function pathKey(segment: PropertyKey | StandardSchemaV1.PathSegment): string | number {
  const key = typeof segment === "object" ? segment.key : segment;
  return typeof key === "symbol" ? key.toString() : key;
}

function toBuffer(raw: RawData): Buffer {
  if (Buffer.isBuffer(raw)) return raw;
  if (Array.isArray(raw)) return Buffer.concat(raw);
  return Buffer.from(raw);
}
