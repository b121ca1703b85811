import { HttpError } from "../errors/http-error.js";

const MAX_TOPIC_LENGTH = 256;
// Control characters would let a topic break out of an SSE `event:` line or a log line.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f]/;

export function checkTopic(topic: unknown): string {
  if (typeof topic !== "string" || topic.length === 0 || topic.length > MAX_TOPIC_LENGTH || CONTROL.test(topic)) {
    const shown = typeof topic === "string" ? JSON.stringify(topic.slice(0, 40)) : typeof topic;
    throw new HttpError("TND_ERR_REALTIME_BAD_TOPIC", `Invalid topic ${shown}: use 1-${MAX_TOPIC_LENGTH} printable characters`);
  }
  return topic;
}

export function toJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "null";
  } catch (cause) {
    throw new HttpError("TND_ERR_REALTIME_NOT_SERIALIZABLE", `Cannot send this value as JSON: ${(cause as Error).message}`, { cause });
  }
}

/** The one envelope every topic delivery uses, so clients can route it to the right listeners. */
export function topicFrame(topic: string, dataJson: string): string {
  return `{"type":"$topic","topic":${JSON.stringify(topic)},"data":${dataJson}}`;
}

export function errorFrame(code: string, message: string, extra: Record<string, unknown> = {}): string {
  return toJson({ type: "error", code, message, ...extra });
}

/**
 * A complete unmasked, uncompressed text frame (RFC 6455 §5.2: FIN + opcode 1, then the length in
 * 7, 7+16 or 7+64 bits), so a topic message is framed once per publish and every subscriber gets
 * the same bytes in one socket write instead of a header and a payload framed per subscriber.
 * Only valid on connections without extensions: createRealtime turns per-message deflate off.
 */
export function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const head = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + length);
  frame[0] = 0x81;
  if (head === 2) {
    frame[1] = length;
  } else if (head === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 0x1_0000_0000), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  frame.write(text, head, "utf8");
  return frame;
}

/** Strings go as text, bytes as binary, anything else as JSON text. */
export function toWire(data: unknown): { payload: string | Buffer; binary: boolean } {
  if (typeof data === "string") return { payload: data, binary: false };
  if (data instanceof ArrayBuffer) return { payload: Buffer.from(data), binary: true };
  if (ArrayBuffer.isView(data)) return { payload: Buffer.from(data.buffer, data.byteOffset, data.byteLength), binary: true };
  return { payload: toJson(data), binary: false };
}
