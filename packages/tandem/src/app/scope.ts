import { AsyncLocalStorage } from "node:async_hooks";
import type { RequestAfter } from "./after.js";

/**
 * One app's services (its pub/sub hub, its jobs store) for the functions app code imports
 * (`publish`, `job.enqueue`), which take no app argument. The runtime runs every request, socket
 * event and job inside its scope; see decision 0009. Features keep their entries under their own
 * symbol, created on first use, so an app that never publishes never builds a hub.
 */
export class AppScope {
  /** The app's logger: for lines a feature writes about work in this scope (an SSE handler's failure). */
  readonly logger: Pick<Console, "error" | "warn" | "info">;
  readonly #values = new Map<symbol, unknown>();
  readonly #factories = new Map<symbol, { create: () => unknown; close: ((value: never) => unknown) | undefined }>();
  readonly #closers: (() => unknown)[] = [];
  #closing: Promise<void> | undefined;

  constructor(logger: Pick<Console, "error" | "warn" | "info"> = console) {
    this.logger = logger;
  }

  /** How the entry under `key` is made on first use: the runtime's settings win over a feature's defaults. */
  define<T>(key: symbol, create: () => T, close?: (value: T) => unknown): void {
    this.#factories.set(key, { create, close: close as ((value: never) => unknown) | undefined });
  }

  /** The entry under `key`, made on first use (by `define`'s factory, else `create`); `close` runs when the scope closes. */
  use<T>(key: symbol, create: () => T, close?: (value: T) => unknown): T {
    if (this.#values.has(key)) return this.#values.get(key) as T;
    const defined = this.#factories.get(key);
    if (defined) {
      create = defined.create as () => T;
      close = defined.close as ((value: T) => unknown) | undefined;
    }
    const value = create();
    this.#values.set(key, value);
    if (close) this.#closers.push(() => close(value));
    return value;
  }

  get<T>(key: symbol): T | undefined {
    return this.#values.get(key) as T | undefined;
  }

  /**
   * Runs `fn` with this scope current, for it and everything it starts (timers, promises).
   * `requestId` is the request (or job) the work is for: a job enqueued in there carries it.
   * Left out, work inside this scope keeps the id it runs under; `null` says it has none (a job
   * that no request enqueued, even if a request's enqueue woke the worker that runs it).
   */
  run<T>(fn: () => T, requestId?: RequestIdSource | null): T {
    if (requestId === undefined && storage.getStore()?.scope === this) return fn();
    return storage.run({ scope: this, requestId: requestId ?? undefined }, fn);
  }

  /** `run` for one request, whose after() tasks `after` holds (app/after.ts). */
  runRequest<T>(fn: () => T, requestId: RequestIdSource, after: RequestAfter): T {
    return storage.run({ scope: this, requestId, after }, fn);
  }

  /** Closes the entries in reverse order of creation (jobs, which publish, before the hub). */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      for (const close of this.#closers.reverse()) await close();
    })();
    return this.#closing;
  }
}

// One store per process even when two copies of Tandem load (a loader such as tsx can evaluate
// the app bundle's `tandem/*` imports apart from the runtime's): the runtime enters it, app code
// reads it, as with the request context. It holds no state of its own. Entries are keyed with
// Symbol.for for the same reason.
const STORE_KEY = Symbol.for("tandem.app-scope-frame");
const storage: AsyncLocalStorage<Frame> = ((globalThis as Record<symbol, unknown>)[STORE_KEY] ??=
  new AsyncLocalStorage<Frame>()) as AsyncLocalStorage<Frame>;

/** An id, or how to make it: a request's id is made only if something asks (see server/request-id.ts). */
export type RequestIdSource = string | (() => string);

interface Frame {
  scope: AppScope;
  requestId: RequestIdSource | undefined;
  /** Only in a request's frame: not in a job's or a socket event's, which have no response to wait for. */
  after?: RequestAfter;
}

/** The scope of the app whose request, socket event or job is running; undefined outside any. */
export function currentScope(): AppScope | undefined {
  return storage.getStore()?.scope;
}

/** The id of the request the running code serves (or that enqueued the running job), if the runtime said. */
export function currentRequestId(): string | undefined {
  const frame = storage.getStore();
  if (frame === undefined) return undefined;
  if (typeof frame.requestId === "function") frame.requestId = frame.requestId();
  return frame.requestId;
}

/** The after() tasks of the request the running code serves; undefined outside a request. */
export function currentAfter(): RequestAfter | undefined {
  return storage.getStore()?.after;
}
