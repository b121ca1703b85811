import { AsyncResource } from "node:async_hooks";
import { TandemError } from "../errors/http-error.js";
import { FastResponse } from "../server/fast-response.js";
import { currentAfter } from "./scope.js";

type Logger = Pick<Console, "error" | "warn">;
type Task = () => unknown;

/**
 * The after() work of one runtime: tasks that run and tasks whose response is still being sent.
 * Shutdown waits for both (createRuntime's close runs while in-flight requests finish), and a
 * failure is logged, never an unhandled rejection.
 */
export class AfterTracker {
  readonly #pending = new Set<Promise<void>>();
  readonly #logger: Logger;
  readonly #waiting = new Set<RequestAfter>();
  #wake: (() => void) | undefined;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  start(task: Task | Promise<unknown>): void {
    const run = (async () => (typeof task === "function" ? task() : task))().then(
      () => undefined,
      (error: unknown) => this.#logger.error("[tandem] a task passed to after() failed:", error),
    );
    this.#pending.add(run);
    void run.finally(() => this.#pending.delete(run));
  }

  /** A request queued its first task: its response is on its way. */
  hold(request: RequestAfter): void {
    this.#waiting.add(request);
  }

  release(request: RequestAfter): void {
    this.#waiting.delete(request);
    this.#wake?.();
  }

  /**
   * Resolves when no request holds tasks and every task started (and any they started) has
   * settled. A response still unsent after `holdLimitMs` (a body nobody reads: the server's own
   * deadline cuts its connections first) has its tasks started anyway, so closing ends.
   */
  async settled(holdLimitMs = 5_000): Promise<void> {
    const limit = Date.now() + holdLimitMs;
    while (this.#pending.size > 0 || this.#waiting.size > 0) {
      if (this.#pending.size > 0) {
        await Promise.all(this.#pending);
        continue;
      }
      const left = limit - Date.now();
      if (left <= 0) {
        this.#logger.warn(`[tandem] ${this.#waiting.size} response(s) still unsent at shutdown: their after() tasks run now`);
        for (const request of [...this.#waiting]) request.send();
        continue;
      }
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
    }
    this.#wake = undefined;
  }
}

/** One request's after() tasks: held until its response has been sent, then started together, as in Next.js. */
export class RequestAfter {
  readonly #tracker: AfterTracker;
  #queued: Task[] | undefined;
  #sent = false;

  constructor(tracker: AfterTracker) {
    this.#tracker = tracker;
  }

  add(task: Task | Promise<unknown>): void {
    // A promise is already running: it is only kept so that shutdown waits for it and its error is logged.
    if (typeof task !== "function" || this.#sent) return this.#tracker.start(typeof task === "function" ? AsyncResource.bind(task) : task);
    // Bound to the request's async context: the task still sees its request id and headers().
    if (this.#queued === undefined) {
      this.#queued = [];
      this.#tracker.hold(this);
    }
    this.#queued.push(AsyncResource.bind(task));
  }

  get holding(): boolean {
    return this.#queued !== undefined;
  }

  /** The response is out: queued tasks start, later ones start at once. */
  send(): void {
    if (this.#sent) return;
    this.#sent = true;
    const queued = this.#queued;
    this.#queued = undefined;
    if (queued === undefined) return;
    for (const task of queued) this.#tracker.start(task);
    this.#tracker.release(this);
  }
}

// Pages stream while their Server Components run (and may call after()): such a body is watched
// even when no task is queued yet. Other responses are watched only when a task is waiting.
const RENDERED = /^text\/(?:html|x-component)\b/;

/**
 * Hands `result` on and starts the request's after() tasks once its body has been read to the
 * end (or cancelled: the client went away). A body the server writes in one piece (a string,
 * bytes, none) counts as sent on the next turn, after the write. A handler that threw counts
 * as sent too: its error response is made outside.
 */
export function afterResponse(result: Response | Promise<Response>, after: RequestAfter): Response | Promise<Response> {
  if (!(result instanceof Promise)) return watch(result, after);
  return result.then(
    (response) => watch(response, after),
    (error: unknown) => {
      setImmediate(() => after.send());
      throw error;
    },
  );
}

function watch(response: Response, after: RequestAfter): Response {
  const plain = FastResponse.plain(response) !== undefined;
  const body = plain ? null : response.body;
  if (body === null || (!after.holding && !RENDERED.test(response.headers.get("content-type") ?? ""))) {
    // Nothing queued: nothing to wait for (a task added later runs then, after the write). Most
    // requests take this path, without a timer.
    if (after.holding) setImmediate(() => after.send());
    else after.send();
    return response;
  }
  const reader = body.getReader();
  const watched = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let read: ReadableStreamReadResult<Uint8Array>;
      try {
        read = await reader.read();
      } catch (error) {
        setImmediate(() => after.send());
        throw error;
      }
      if (!read.done) return controller.enqueue(read.value);
      controller.close();
      // The last bytes are handed over; the server writes them in this turn.
      setImmediate(() => after.send());
    },
    cancel(reason) {
      after.send();
      return reader.cancel(reason);
    },
  });
  return new Response(watched, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * next/server's after(): runs `task` once the response has been sent (route handlers, Server
 * Actions, Server Components, middleware), for logging, analytics and other work the client need
 * not wait for. A promise is awaited the same way. A failure is logged through the app's logger;
 * a graceful shutdown waits for the tasks.
 */
export function after(task: Task | Promise<unknown>): void {
  if (typeof task !== "function" && !(task instanceof Promise)) {
    throw new TandemError("TND_ERR_AFTER_INVALID", `after() takes a function or a promise, got ${task === null ? "null" : typeof task}`);
  }
  const request = currentAfter();
  if (request === undefined) {
    throw new TandemError(
      "TND_ERR_AFTER_OUTSIDE_REQUEST",
      "after() was called outside a request: call it in a route handler, Server Action, Server Component or middleware, while that request runs",
    );
  }
  request.add(task);
}
