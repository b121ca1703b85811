import type { Params } from "../router/types.js";
import type { RouteContext } from "./types.js";

/**
 * The `{ params }` a route handler gets: `params` is the promise Next.js 15+ handlers await, an
 * own property like Next.js's (so spreading the context keeps it). On a route without dynamic
 * segments it is undefined, as Next.js passes it there (its own types say a promise either way):
 * code that tells the two apart with `params ?? …` answers the same on both. Tandem's own
 * handlers (defineHandler) read the values through `paramsNow` instead, which spares every
 * validated request a promise turn.
 */
export class HandlerContext implements RouteContext {
  readonly params: Promise<Params>;
  readonly #values: Params;

  constructor(values: Params, dynamic = true) {
    this.#values = values;
    this.params = dynamic ? Promise.resolve(values) : (undefined as unknown as Promise<Params>);
  }

  /** The params of a context made here; undefined for any other object (then await its promise). */
  static paramsNow(context: unknown): Params | undefined {
    return typeof context === "object" && context !== null && #values in context ? context.#values : undefined;
  }
}

/** A handler's entry point that takes the params as values: nobody awaits them, so no context is made. */
export type ParamsHandler = (request: Request, params: Params) => Response | Promise<Response>;

// A symbol, not a named property: apps cannot set it by accident, and the route module stays a
// plain Next.js-style export.
const PARAMS_ENTRY: unique symbol = Symbol("tandem.paramsEntry");

/**
 * Gives `handler` a second entry point that takes the params directly. The router calls that one:
 * a context is an object and a resolved promise per request (about 400 instructions), and
 * Tandem's own handlers only ever read the values out of it.
 */
export function withParamsEntry<H extends object>(handler: H, entry: ParamsHandler): H {
  Object.defineProperty(handler, PARAMS_ENTRY, { value: entry, enumerable: false });
  return handler;
}

/** The entry point `withParamsEntry` gave `handler`; undefined for any other function. */
export function paramsEntryOf(handler: unknown): ParamsHandler | undefined {
  if (typeof handler !== "function") return undefined;
  const entry = (handler as { [PARAMS_ENTRY]?: unknown })[PARAMS_ENTRY];
  return typeof entry === "function" ? (entry as ParamsHandler) : undefined;
}
