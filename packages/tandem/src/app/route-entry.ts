import { toNextRequest } from "../compat/next-request.js";
import type { Params } from "../router/types.js";
import { dispatch, toRouteHandlers, type RouteHandlers } from "./dispatch.js";
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
      this.#handlers = toRouteHandlers(mod, `route ${this.route.pattern}`);
      this.#module = mod;
    }
    return this.#handlers;
  }

  /** Synchronous once loaded (production), so the handler's own promise is the only one. */
  handle(request: Request, params: Params): Response | Promise<Response> {
    // Next.js route handlers may use request.nextUrl and request.cookies.
    if (this.#handlers !== undefined && !this.#dev) return dispatch(this.#handlers, toNextRequest(request), params);
    return this.#load().then((handlers) => dispatch(handlers, toNextRequest(request), params));
  }
}
