import { TandemError } from "../../errors/http-error.js";
import { NextRequest } from "../../compat/next-request.js";
import { isRedirectError, toRedirectResponse } from "../navigation.js";
import type { MiddlewareModule } from "../types.js";
import { showValue } from "./conditions.js";
import { NextFetchEvent, WaitUntilTracker } from "./event.js";
import { compileMatcher, type MiddlewareMatcher } from "./matcher.js";

export type MiddlewareFunction = (request: NextRequest, event: NextFetchEvent) => unknown;

export interface ResolvedMiddleware {
  /**
   * Runs the middleware. `undefined` means "continue"; otherwise a Response, possibly carrying a
   * signal (see signals.ts).
   * A thrown redirect() becomes its redirect response; notFound() and other errors reject.
   */
  run(request: Request): Promise<Response | undefined>;
  /**
   * What `run` does in two steps, for a caller that awaits anyway: the function's own result
   * (a value or its promise; it may throw), then that result checked.
   */
  call(request: Request): unknown;
  check(result: unknown): Response | undefined;
  /** Whether the middleware runs for this request (its `config.matcher`), compiled once. */
  matches: MiddlewareMatcher;
  /** Resolves once every promise handed to `event.waitUntil()` so far has settled (for shutdown). */
  settled(): Promise<void>;
}

export interface ResolveOptions {
  /** Where waitUntil() rejections are logged. Default console. */
  logger?: Pick<Console, "error">;
}

// Dev hands the same module object back until the file changes; compile its matcher only once.
const cache = new WeakMap<object, ResolvedMiddleware>();

/**
 * Checks a middleware.ts/proxy.ts module once: it must export a function as `proxy` (Next.js 16),
 * `middleware` or `default` (a named export wins over `default`, as in Next.js), and its
 * `config.matcher` must compile. Failures throw TandemError at startup.
 */
export function resolveMiddleware(mod: MiddlewareModule, options: ResolveOptions = {}): ResolvedMiddleware {
  if (typeof mod !== "object" || mod === null) {
    throw new TandemError("TND_ERR_MIDDLEWARE_EXPORT", `The middleware module loaded as ${showValue(mod)}, not a module`);
  }
  const cached = cache.get(mod);
  if (cached !== undefined) return cached;
  const { fn, name } = pickFunction(mod);
  const matches = compileMatcher(mod.config);
  const tracker = new WaitUntilTracker(options.logger ?? console);
  const sourcePage = name === "proxy" ? "/proxy" : "/middleware";
  const call = (request: Request): unknown =>
    fn(request instanceof NextRequest ? request : new NextRequest(request), new NextFetchEvent(sourcePage, tracker));
  const check = (result: unknown): Response | undefined => checkResult(result, name);
  const resolved: ResolvedMiddleware = {
    matches,
    settled: () => tracker.settled(),
    call,
    check,
    async run(request) {
      try {
        return check(await call(request));
      } catch (error) {
        return redirectOrThrow(error, request);
      }
    },
  };
  cache.set(mod, resolved);
  return resolved;
}

/** A thrown redirect() is the middleware's answer; any other error goes on up. */
export function redirectOrThrow(error: unknown, request: Request): Response {
  if (isRedirectError(error)) return toRedirectResponse(error, request.url);
  throw error;
}

function checkResult(result: unknown, name: string): Response | undefined {
  if (result === undefined || result === null) return undefined;
  if (!(result instanceof Response)) {
    throw new TandemError(
      "TND_ERR_MIDDLEWARE_RESULT",
      `Middleware (${name} export) returned ${typeof result} ${showValue(result).slice(0, 80)}; return a Response or nothing`,
    );
  }
  return result;
}

function pickFunction(mod: MiddlewareModule): { fn: MiddlewareFunction; name: string } {
  for (const name of ["proxy", "middleware", "default"] as const) {
    const value = mod[name];
    if (value !== undefined && typeof value !== "function") {
      throw new TandemError("TND_ERR_MIDDLEWARE_EXPORT", `The middleware export "${name}" must be a function, got ${showValue(value)}`);
    }
  }
  if (typeof mod.proxy === "function" && typeof mod.middleware === "function" && mod.proxy !== mod.middleware) {
    throw new TandemError(
      "TND_ERR_MIDDLEWARE_EXPORT",
      "The middleware file exports both `proxy` and `middleware` functions; keep one (proxy is the Next.js 16 name)",
    );
  }
  const name = typeof mod.proxy === "function" ? "proxy" : typeof mod.middleware === "function" ? "middleware" : "default";
  const fn = mod[name];
  if (typeof fn !== "function") {
    const exports = Object.keys(mod);
    const found = exports.length === 0 ? "nothing" : exports.join(", ");
    throw new TandemError(
      "TND_ERR_MIDDLEWARE_EXPORT",
      `The middleware file must export a function as "proxy", "middleware" or "default"; it exports ${found}`,
    );
  }
  return { fn: fn as MiddlewareFunction, name };
}
