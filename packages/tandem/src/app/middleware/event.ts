import { TandemError } from "../../errors/http-error.js";

type Logger = Pick<Console, "error">;

/**
 * Promises handed to `event.waitUntil()` outlive the response. They are held here (so shutdown can
 * wait for them) and a rejection is logged instead of becoming an unhandled rejection.
 */
export class WaitUntilTracker {
  readonly #pending = new Set<Promise<unknown>>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  add(promise: unknown, source: string): void {
    const tracked = Promise.resolve(promise).then(
      () => undefined,
      (error: unknown) => this.#logger.error(`[tandem] ${source}: a promise passed to event.waitUntil() rejected:`, error),
    );
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }

  get size(): number {
    return this.#pending.size;
  }

  /** Resolves when every promise handed over so far has settled. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }
}

/** next/server's NextFetchEvent, the second argument of middleware. */
export class NextFetchEvent {
  readonly sourcePage: string;
  readonly #tracker: WaitUntilTracker;

  constructor(sourcePage: string, tracker: WaitUntilTracker) {
    this.sourcePage = sourcePage;
    this.#tracker = tracker;
  }

  /** Keeps work (logging, analytics) running after the response is sent. */
  waitUntil(promise: Promise<unknown>): void {
    this.#tracker.add(promise, this.sourcePage);
  }

  /**
   * Next.js would serve the route when middleware throws. Tandem refuses: failing open would let
   * a crashing auth check through.
   */
  passThroughOnException(): never {
    throw new TandemError(
      "TND_ERR_MIDDLEWARE_UNSUPPORTED",
      "event.passThroughOnException() is not supported: Tandem never serves the route when middleware fails",
    );
  }

  /** Next.js also throws here: middleware gets the request as its first argument. */
  get request(): never {
    throw new TandemError("TND_ERR_MIDDLEWARE_UNSUPPORTED", "event.request is not available: use the middleware's first argument");
  }
}
