import type { IncomingMessage, ServerResponse } from "node:http";

/** One request whose handler has not answered yet. */
export interface Pending {
  req: IncomingMessage;
  res: ServerResponse;
  request: Request;
  deadline: number;
  /** Set when the timeout answered: whatever the handler returns later is discarded. */
  timedOut: boolean;
}

/**
 * Handlers that never answer would hold their connection, and whatever they hold, forever: node's
 * requestTimeout stops counting once the request has arrived. Requests are tracked in a set in
 * start order and swept a few times per timeout, which costs a request far less than a timer of
 * its own; the deadline is therefore met within a quarter of the timeout (at most 1 s).
 */
export class HandlerTimeouts {
  readonly #timeout: number;
  readonly #pending = new Set<Pending>();
  readonly #onTimeout: (entry: Pending) => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(timeout: number, onTimeout: (entry: Pending) => void) {
    this.#timeout = timeout;
    this.#onTimeout = onTimeout;
  }

  track(req: IncomingMessage, res: ServerResponse, request: Request): Pending {
    const entry: Pending = { req, res, request, deadline: Date.now() + this.#timeout, timedOut: false };
    this.#pending.add(entry);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#sweep(), Math.max(10, Math.min(1000, Math.floor(this.#timeout / 4))));
      this.#timer.unref();
    }
    return entry;
  }

  /** The handler answered (or failed): true when it is still in time to be sent. */
  settle(entry: Pending): boolean {
    this.#pending.delete(entry);
    return !entry.timedOut;
  }

  #sweep(): void {
    const now = Date.now();
    // Every entry has the same timeout, so start order is deadline order.
    for (const entry of this.#pending) {
      if (entry.deadline > now) break;
      this.#pending.delete(entry);
      entry.timedOut = true;
      this.#onTimeout(entry);
    }
    if (this.#pending.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  close(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
