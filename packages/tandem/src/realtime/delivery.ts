import { textFrame } from "./frames.js";

/**
 * One published message on its way to local subscribers. The WebSocket frame is encoded and
 * framed once and shared by every subscriber; SSE subscribers only pay for the data JSON when
 * they exist.
 */
export class Delivery {
  readonly topic: string;
  #frame: string;
  #wire: Buffer | undefined;
  #data: string | undefined;

  constructor(topic: string, frame: string, dataJson?: string) {
    this.topic = topic;
    this.#frame = frame;
    this.#data = dataJson;
  }

  /** The `$topic` envelope as a whole WebSocket text frame, header included (see textFrame). */
  get wire(): Buffer {
    this.#wire ??= textFrame(this.#frame);
    return this.#wire;
  }

  get frame(): string {
    return this.#frame;
  }

  /** JSON text of the published data alone. */
  get dataJson(): string {
    if (this.#data === undefined) {
      this.#data = JSON.stringify((JSON.parse(this.#frame) as { data: unknown }).data) ?? "null";
    }
    return this.#data;
  }
}

/** Anything that can receive topic messages: a WebSocket peer or an SSE stream. */
export interface Subscriber {
  readonly id: string;
  deliver(delivery: Delivery): void;
}
