import type { IncomingMessage, ServerResponse } from "node:http";

/** One request whose handler has not answered yet. */
export interface Pending {
  req: IncomingMessage;
  res: ServerResponse;
  request: Request;
  /** The sweep tick during which the request started. */
  tick: number;
  /** Set when the timeout answered: whatever the handler returns later is discarded. */
  timedOut: boolean;
  prev: Pending | undefined;
  next: Pending | undefined;
  linked: boolean;
}

/**
 * Handlers that never answer would hold their connection, and whatever they hold, forever: node's
 * requestTimeout stops counting once the request has arrived. Requests are kept in a linked list
 * in start order and a sweep runs a few times per timeout, counting ticks instead of reading the
 * clock: tracking a request is an append and settling it an unlink, which costs far less than a
 * timer (or a set entry and a clock read) per request, and nothing outlives its request (a queue
 * swept later kept every entry alive past the young generation and tripled garbage collection).
 * A request times out between one and two sweep intervals after the timeout, never before.
 */
export class HandlerTimeouts {
  readonly #interval: number;
  readonly #ticks: number;
  readonly #onTimeout: (entry: Pending) => void;
  #head: Pending | undefined;
  #tail: Pending | undefined;
  #tick = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(timeout: number, onTimeout: (entry: Pending) => void) {
    this.#interval = Math.max(10, Math.min(1000, Math.floor(timeout / 4)));
    // Ticks that must pass after the start tick: the request began somewhere inside that tick.
    this.#ticks = Math.ceil(timeout / this.#interval) + 1;
    this.#onTimeout = onTimeout;
  }

  track(req: IncomingMessage, res: ServerResponse, request: Request): Pending {
    const entry: Pending = { req, res, request, tick: this.#tick, timedOut: false, prev: this.#tail, next: undefined, linked: true };
    if (this.#tail === undefined) this.#head = entry;
    else this.#tail.next = entry;
    this.#tail = entry;
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#sweep(), this.#interval);
      this.#timer.unref();
    }
    return entry;
  }

  /** The handler answered (or failed): true when it is still in time to be sent. */
  settle(entry: Pending): boolean {
    this.#unlink(entry);
    return !entry.timedOut;
  }

  #unlink(entry: Pending): void {
    if (!entry.linked) return;
    entry.linked = false;
    if (entry.prev === undefined) this.#head = entry.next;
    else entry.prev.next = entry.next;
    if (entry.next === undefined) this.#tail = entry.prev;
    else entry.next.prev = entry.prev;
    entry.prev = entry.next = undefined;
  }

  #sweep(): void {
    const tick = ++this.#tick;
    // Start order is deadline order: stop at the first request still in time.
    while (this.#head !== undefined && tick - this.#head.tick >= this.#ticks) {
      const entry = this.#head;
      this.#unlink(entry);
      entry.timedOut = true;
      this.#onTimeout(entry);
    }
    if (this.#head === undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  close(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
