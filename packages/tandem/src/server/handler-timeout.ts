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
  /** Timed out while its body was still arriving: waits in the set of uploads instead of the list. */
  uploading: boolean;
}

/**
 * Handlers that never answer would hold their connection, and whatever they hold, forever: node's
 * requestTimeout stops counting once the request has arrived. Requests are kept in a linked list
 * in start order and a sweep runs a few times per timeout, counting ticks instead of reading the
 * clock: tracking a request is an append and settling it an unlink, which costs far less than a
 * timer (or a set entry and a clock read) per request, and nothing outlives its request (a queue
 * swept later kept every entry alive past the young generation and tripled garbage collection).
 * A request times out between one and two sweep intervals after the timeout, never before.
 *
 * The clock is meant for the handler, not the client: a request whose body is still arriving when
 * its time is up waits until the body is in (checked at each sweep) and then gets the whole timeout
 * again. A slow upload is requestTimeout's to answer, with a 408, never a 503 that blames the
 * server; checking only at the sweep keeps the usual request free of any listener or clock read.
 */
export class HandlerTimeouts {
  readonly #interval: number;
  readonly #ticks: number;
  readonly #onTimeout: (entry: Pending) => void;
  #head: Pending | undefined;
  #tail: Pending | undefined;
  #tick = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #uploading = new Set<Pending>();

  constructor(timeout: number, onTimeout: (entry: Pending) => void) {
    this.#interval = Math.max(10, Math.min(1000, Math.floor(timeout / 4)));
    // Ticks that must pass after the start tick: the request began somewhere inside that tick.
    this.#ticks = Math.ceil(timeout / this.#interval) + 1;
    this.#onTimeout = onTimeout;
  }

  track(req: IncomingMessage, res: ServerResponse, request: Request): Pending {
    const entry: Pending = {
      req,
      res,
      request,
      tick: this.#tick,
      timedOut: false,
      prev: undefined,
      next: undefined,
      linked: false,
      uploading: false,
    };
    this.#append(entry);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#sweep(), this.#interval);
      this.#timer.unref();
    }
    return entry;
  }

  #append(entry: Pending): void {
    entry.prev = this.#tail;
    entry.linked = true;
    if (this.#tail === undefined) this.#head = entry;
    else this.#tail.next = entry;
    this.#tail = entry;
  }

  /** The handler answered (or failed): true when it is still in time to be sent. */
  settle(entry: Pending): boolean {
    this.#unlink(entry);
    return !entry.timedOut;
  }

  #unlink(entry: Pending): void {
    if (entry.uploading) {
      entry.uploading = false;
      this.#uploading.delete(entry);
      return;
    }
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
    for (const entry of this.#uploading) {
      if (entry.req.complete) {
        // The body is in: the handler's time starts now. The current tick is the latest, so
        // appending keeps the list in deadline order.
        this.#unlink(entry);
        entry.tick = tick;
        this.#append(entry);
      } else if (entry.req.destroyed) {
        // The client is gone (or requestTimeout answered and closed): nothing is left to time.
        this.#unlink(entry);
      }
    }
    // Start order is deadline order: stop at the first request still in time.
    while (this.#head !== undefined && tick - this.#head.tick >= this.#ticks) {
      const entry = this.#head;
      this.#unlink(entry);
      if (!entry.req.complete && !entry.req.destroyed) {
        entry.uploading = true;
        this.#uploading.add(entry);
        continue;
      }
      entry.timedOut = true;
      this.#onTimeout(entry);
    }
    if (this.#head === undefined && this.#uploading.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  close(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
