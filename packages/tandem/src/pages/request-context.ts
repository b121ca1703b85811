import { AsyncLocalStorage } from "node:async_hooks";
import { HttpError } from "../errors/http-error.js";
import type { Params } from "../router/types.js";
import { RequestCookies } from "./cookies.js";

/**
 * Where cookies()/headers() may write. Rendering must not set cookies: by the time a Server
 * Component runs, the response may already be streaming (Next.js has the same rule).
 */
export type ContextPhase = "render" | "action" | "route";

interface RequestStore {
  request: Request;
  url: URL;
  params: Params;
  phase: ContextPhase;
  cookies: RequestCookies;
  logger: PagesLogger | undefined;
}

/** The app's logger, as createApp takes it. */
export type PagesLogger = Pick<Console, "error">;

// One store per process even when two copies of this module load (the server bundle's and the
// external `tandem/server` one): the renderer sets it, app code reads it.
const STORE_KEY = Symbol.for("tandem.request-context");
const storage: AsyncLocalStorage<RequestStore> = ((globalThis as Record<symbol, unknown>)[STORE_KEY] ??=
  new AsyncLocalStorage<RequestStore>()) as AsyncLocalStorage<RequestStore>;

export interface ContextOptions {
  params?: Params;
  phase?: ContextPhase;
  /** Where the pages feature's own lines go (a failed Server Component or action). Default: the console. */
  logger?: PagesLogger;
}

/**
 * Runs `fn` with cookies()/headers()/currentRequest() bound to `request`. When `fn` returns a
 * Response, cookies set during `fn` are appended to it as Set-Cookie headers.
 */
export async function runWithRequestContext<T>(request: Request, fn: () => Promise<T>, options: ContextOptions = {}): Promise<T> {
  const store: RequestStore = {
    request,
    url: new URL(request.url),
    params: options.params ?? {},
    phase: options.phase ?? "route",
    cookies: new RequestCookies(request.headers),
    logger: options.logger,
  };
  const result = await storage.run(store, fn);
  return result instanceof Response ? (withSetCookies(result, store.cookies) as T) : result;
}

/** Switches the current context's phase (an action finished, rendering starts). */
export function setContextPhase(phase: ContextPhase): void {
  const store = storage.getStore();
  if (store !== undefined) store.phase = phase;
}

function current(helper: string): RequestStore {
  const store = storage.getStore();
  if (store === undefined) {
    throw new HttpError(
      "TND_ERR_PAGES_NO_REQUEST_CONTEXT",
      `${helper}() was called outside a request (only Server Components, Server Actions, route handlers and middleware have one).`,
    );
  }
  return store;
}

/** Next.js 15+ shape: `const jar = await cookies()`. set/delete work in actions and route handlers. */
export async function cookies(): Promise<RequestCookies> {
  const store = current("cookies");
  store.cookies.writable = store.phase !== "render";
  return store.cookies;
}

/** Next.js 15+ shape: read-only request headers. */
export async function headers(): Promise<Headers> {
  const store = current("headers");
  return readOnlyHeaders(store.request.headers);
}

/** The URL and route params of the request being handled. */
export function currentRequest(): { url: URL; params: Params; method: string } {
  const store = current("currentRequest");
  return { url: new URL(store.url), params: { ...store.params }, method: store.request.method };
}

/** The request being handled, if any (requestId() without an argument). */
export function contextRequest(): Request | undefined {
  return storage.getStore()?.request;
}

/**
 * Logs a failure of the request being handled through the app's logger, with its id (the pages
 * code is bundled with the app and has no logger of its own). Outside a request: the console.
 */
export function logRequestError(message: string, error: unknown, requestId: string | undefined): void {
  const logger = storage.getStore()?.logger ?? console;
  if (logger === console || requestId === undefined) logger.error(`[tandem] ${requestId ?? "-"} ${message}`, error);
  else logger.error(`[tandem] ${requestId} ${message}`, error, { reqId: requestId });
}

/** Set-Cookie headers collected so far (for responses built outside runWithRequestContext). */
export function pendingSetCookies(): string[] {
  return storage.getStore()?.cookies.setCookieHeaders() ?? [];
}

function withSetCookies(response: Response, jar: RequestCookies): Response {
  const values = jar.setCookieHeaders();
  if (values.length === 0) return response;
  try {
    for (const value of values) response.headers.append("set-cookie", value);
    return response;
  } catch {
    // Response.redirect() and fetch() responses have immutable headers: copy them.
    const headers = new Headers(response.headers);
    for (const value of values) headers.append("set-cookie", value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}

// Made on first use: most requests never ask for read-only headers.
let ReadOnlyHeaders: (new (init: Headers) => Headers) | undefined;

function readOnlyHeaders(init: Headers): Headers {
  ReadOnlyHeaders ??= class extends Headers {
    #frozen = false;
    constructor(init: Headers) {
      super(init);
      this.#frozen = true;
    }
    override append(name: string, value: string): void {
      this.#refuse();
      super.append(name, value);
    }
    override set(name: string, value: string): void {
      this.#refuse();
      super.set(name, value);
    }
    override delete(name: string): void {
      this.#refuse();
      super.delete(name);
    }
    #refuse(): void {
      if (this.#frozen) {
        throw new HttpError(
          "TND_ERR_PAGES_HEADERS_READONLY",
          "headers() is read-only; set response headers in a route handler or middleware.",
        );
      }
    }
  };
  return new ReadOnlyHeaders(init);
}
