import type { Params } from "../router/types.js";
import type { RouteContext } from "./types.js";

/**
 * The `{ params }` a route handler gets: `params` is the promise Next.js 15+ handlers await, an
 * own property like Next.js's (so spreading the context keeps it). Tandem's own handlers
 * (defineHandler) read the values through `paramsNow` instead, which spares every validated
 * request a promise turn.
 */
export class HandlerContext implements RouteContext {
  readonly params: Promise<Params>;
  readonly #values: Params;

  constructor(values: Params) {
    this.#values = values;
    this.params = Promise.resolve(values);
  }

  /** The params of a context made here; undefined for any other object (then await its promise). */
  static paramsNow(context: unknown): Params | undefined {
    return typeof context === "object" && context !== null && #values in context ? context.#values : undefined;
  }
}
