import { toNextRequest } from "../compat/next-request.js";
import { HttpError } from "../errors/http-error.js";
import { abortRequest } from "../server/request.js";
import { maxDurationOf } from "./segment-config.js";
import type { Params } from "../router/types.js";
import { dispatch, toRouteHandlers, type RouteHandlers } from "./dispatch.js";
import { getMiddlewareSignal, hasSignalHeader } from "./middleware/signals.js";
import type { ManifestRoute, RouteModule } from "./types.js";

/**
 * One URL pattern at request time. Production loads each module once and keeps the checked
 * handlers; dev asks the loader every time (Vite's module runner returns the cached module until
 * the file changes) and re-checks only when it gets a different module object.
 */
export class RouteEntry {
  readonly route: ManifestRoute;
  readonly #dev: boolean;
  #module: RouteModule | undefined;
  #handlers: RouteHandlers | undefined;
  /** `export const maxDuration` in ms: this route's handler timeout, when it sets one. */
  #maxDuration: number | undefined;

  constructor(route: ManifestRoute, dev: boolean) {
    this.route = route;
    this.#dev = dev;
  }

  get hasRoute(): boolean {
    return this.route.route !== undefined;
  }

  async #load(): Promise<RouteHandlers> {
    if (this.#handlers !== undefined && !this.#dev) return this.#handlers;
    const mod = await this.route.route!();
    if (mod !== this.#module || this.#handlers === undefined) {
      this.#handlers = toRouteHandlers(mod, `route ${this.route.pattern}`, this.route.pattern);
      this.#maxDuration = maxDurationOf(mod);
      this.#module = mod;
    }
    return this.#handlers;
  }

  /** Synchronous once loaded (production), so the handler's own promise is the only one. */
  handle(request: Request, params: Params): Response | Promise<Response> {
    // Next.js route handlers may use request.nextUrl and request.cookies.
    if (this.#handlers !== undefined && !this.#dev) {
      const result = this.#checked(dispatch(this.#handlers, toNextRequest(request), params));
      return this.#maxDuration === undefined ? result : this.#deadline(result, this.#maxDuration, request);
    }
    return this.#load().then((handlers) => {
      const result = this.#checked(dispatch(handlers, toNextRequest(request), params));
      return this.#maxDuration === undefined ? result : this.#deadline(result, this.#maxDuration, request);
    });
  }

  #checked(result: Response | Promise<Response>): Response | Promise<Response> {
    if (result instanceof Response) return this.#refuseSignal(result);
    return result.then((response) => this.#refuseSignal(response));
  }

  /**
   * NextResponse.next()/rewrite() only mean something to middleware: from a route handler they
   * would answer an empty 200 that hides the mistake. Next.js fails the request; so does Tandem.
   */
  #refuseSignal(response: Response): Response {
    // A handler that breaks its type and resolves with something else is the server's to report.
    if (!(response instanceof Response)) return response;
    const signal = getMiddlewareSignal(response);
    // A copy of one (new Response(body, next())) carries the mark as a header, never sent out.
    if (signal === undefined && !hasSignalHeader(response)) return response;
    const helper = signal?.kind === "rewrite" ? "NextResponse.rewrite()" : "NextResponse.next()";
    throw new HttpError(
      "TND_ERR_ROUTE_MIDDLEWARE_RESPONSE",
      `route ${this.route.pattern} returned ${helper}, which only middleware.ts/proxy.ts may return; ` +
        "return a Response (NextResponse.json(), new Response()) from a route handler",
    );
  }

  /**
   * Next.js's `maxDuration` as this route's handler timeout: 503 when the handler has not answered
   * in time, and `request.signal` aborts with a TimeoutError so that it can stop its work. The
   * server's own handlerTimeout still applies on top.
   */
  #deadline(result: Response | Promise<Response>, ms: number, request: Request): Response | Promise<Response> {
    if (result instanceof Response) return result;
    return new Promise<Response>((resolve, reject) => {
      const timer = setTimeout(() => {
        const message = `route ${this.route.pattern} did not answer within its maxDuration (${ms / 1000} s)`;
        abortRequest(request, new DOMException(message, "TimeoutError"));
        reject(new HttpError("TND_ERR_SERVER_HANDLER_TIMEOUT", message));
      }, ms);
      result.then(
        (response) => {
          clearTimeout(timer);
          resolve(response);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }
}
