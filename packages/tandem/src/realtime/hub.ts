import { randomUUID } from "node:crypto";
import { Delivery, type Subscriber } from "./delivery.js";
import { checkTopic, topicFrame, toJson } from "./frames.js";

/** Carries frames between instances. In-process hubs have none; see redis-broker.ts. */
export interface Broker {
  /** Start receiving `topic` from other instances (called when its first local subscriber appears). */
  listen(topic: string): void;
  unlisten(topic: string): void;
  send(topic: string, frame: string, exceptId: string | undefined): Promise<void>;
  close(): Promise<void>;
}

export interface HubLogger {
  error(...args: unknown[]): void;
}

/**
 * Topic -> local subscribers, plus an optional broker for fan-out to other instances.
 * Local subscribers get a message synchronously in publish order; remote instances get it in
 * the order Redis receives it, which keeps order per publisher (one connection per hub).
 */
export class TopicHub {
  /** Identifies this instance in broker messages, so it can ignore its own echoes. */
  readonly id = randomUUID();
  #topics = new Map<string, Set<Subscriber>>();
  #broker: Broker | undefined;
  #logger: HubLogger;

  constructor(options: { broker?: (hub: TopicHub) => Broker; logger?: HubLogger } = {}) {
    this.#logger = options.logger ?? console;
    this.#broker = options.broker?.(this);
  }

  subscribe(topic: string, subscriber: Subscriber): void {
    checkTopic(topic);
    let set = this.#topics.get(topic);
    if (!set) {
      set = new Set();
      this.#topics.set(topic, set);
      this.#broker?.listen(topic);
    }
    set.add(subscriber);
  }

  unsubscribe(topic: string, subscriber: Subscriber): void {
    const set = this.#topics.get(topic);
    if (!set?.delete(subscriber) || set.size > 0) return;
    this.#topics.delete(topic);
    this.#broker?.unlisten(topic);
  }

  subscriberCount(topic: string): number {
    return this.#topics.get(topic)?.size ?? 0;
  }

  /** Resolves once the message is delivered locally and handed to the broker. */
  publish(topic: string, data: unknown, exceptId?: string): Promise<void> {
    checkTopic(topic);
    const dataJson = toJson(data);
    const frame = topicFrame(topic, dataJson);
    this.#deliver(new Delivery(topic, frame, dataJson), exceptId);
    return this.#broker ? this.#broker.send(topic, frame, exceptId) : Promise.resolve();
  }

  /** Called by the broker for a frame published on another instance. */
  receive(topic: string, frame: string, exceptId: string | undefined): void {
    this.#deliver(new Delivery(topic, frame), exceptId);
  }

  #deliver(delivery: Delivery, exceptId: string | undefined): void {
    const set = this.#topics.get(delivery.topic);
    if (!set) return;
    for (const subscriber of set) {
      if (subscriber.id === exceptId) continue;
      try {
        subscriber.deliver(delivery);
      } catch (error) {
        // One broken subscriber must not stop the others from getting the message.
        this.#logger.error(`[tandem] realtime: delivering to ${subscriber.id} on "${delivery.topic}" failed`, error);
      }
    }
  }

  async close(): Promise<void> {
    this.#topics.clear();
    await this.#broker?.close();
  }
}
