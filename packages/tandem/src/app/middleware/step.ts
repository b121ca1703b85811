import type { AppManifest } from "../types.js";
import { hasHeaders } from "../merge-headers.js";
import { redirectOrThrow, resolveMiddleware, type ResolvedMiddleware } from "./load.js";
import { readMiddlewareSignal, rewritePath } from "./signals.js";
import { toNative } from "../../server/natives.js";

/** Where a request goes after the path checks and middleware. */
export class Target {
  readonly request: Request;
  readonly pathname: string;
  /** Middleware's `next()`/`rewrite()` response, when it has headers for the final response. */
  readonly responseHeaders: Response | undefined;

  constructor(request: Request, pathname: string, responseHeaders?: Response) {
    this.request = request;
    this.pathname = pathname;
    this.responseHeaders = responseHeaders;
  }
}

export interface MiddlewareStep {
  /** True when the middleware module is loaded (production) and its matcher leaves this path alone. */
  skips(checked: Target): boolean;
  /** Runs middleware when its matcher matches. */
  run(checked: Target): Promise<Target | Response>;
  guards(pathname: string): Promise<boolean>;
  settled(): Promise<void>;
}

/**
 * The app's middleware.ts/proxy.ts, loaded once in production (every request in dev, where Vite
 * hands back the same module until the file changes). A module that fails to load fails every
 * request it would have guarded: nothing goes through unchecked.
 */
export function createMiddlewareStep(
  manifest: AppManifest,
  options: { dev: boolean; logger: Pick<Console, "error">; around?: Around | undefined },
): MiddlewareStep | undefined {
  const loadModule = manifest.middleware;
  if (loadModule === undefined) return undefined;
  const { around } = options;
  const runMiddleware = (mw: ResolvedMiddleware, checked: Target) => runMatched(mw, checked, around);
  const load = async (): Promise<ResolvedMiddleware> => resolveMiddleware(await loadModule(), { logger: options.logger });
  const loading = load();
  let ready: ResolvedMiddleware | undefined;
  loading.then(
    (mw) => (ready = mw),
    () => {},
  );

  return {
    skips(checked) {
      return !options.dev && ready !== undefined && !ready.matches(checked.request, checked.pathname);
    },
    run(checked) {
      if (!options.dev && ready !== undefined) return runMiddleware(ready, checked);
      return (options.dev ? load() : loading).then((mw) => runMiddleware(mw, checked));
    },
    async guards(pathname) {
      return (await loading).matches(new Request(new URL(pathname, "http://localhost")), pathname);
    },
    async settled() {
      await (await loading.catch(() => undefined))?.settled();
    },
  };
}

/** What the runtime gives to bind next/headers' cookies()/headers() to a request (AppOptions.around). */
type Around = <T>(request: Request, fn: () => Promise<T>) => Promise<T>;

/**
 * Runs middleware whose matcher matches: a thrown redirect() is its answer. Inside `around`,
 * next/headers reads the incoming request as in Next.js, and cookies().set lands on the
 * middleware's response as Set-Cookie (Next.js runs middleware in a route handler's request store).
 */
async function runMatched(mw: ResolvedMiddleware, checked: Target, around: Around | undefined): Promise<Target | Response> {
  if (!mw.matches(checked.request, checked.pathname)) return checked;
  const { request } = checked;
  let result: Response | undefined;
  try {
    result = mw.check(await (around === undefined ? mw.call(request) : around(request, async () => mw.call(request))));
  } catch (error) {
    return asSentRedirect(redirectOrThrow(error, checked.request), request);
  }
  return toTarget(result, checked);
}

/**
 * A redirect middleware answers with, as Next.js's router sends it: a Location on the request's
 * own origin becomes a path (clients resolve it against the URL they asked for, RFC 9110 10.2.2),
 * and a redirect without a body carries its target as text, as Next.js's does. Any other response
 * is left as it is.
 */
function asSentRedirect(response: Response, request: Request): Response {
  const { status } = response;
  if (status < 300 || status >= 400) return response;
  const location = response.headers.get("location");
  if (location === null) return response;
  const origin = new URL(request.url).origin;
  const target = URL.canParse(location, request.url) ? new URL(location, request.url) : undefined;
  const sent = target !== undefined && target.origin === origin ? target.pathname + target.search + target.hash : location;
  if (sent === location && response.body !== null) return response;
  const headers = new Headers(response.headers);
  headers.set("location", sent);
  // Bytes rather than a string: a string body would add a content-type Next.js does not send.
  const body = response.body ?? new TextEncoder().encode(sent);
  return new Response(body, { status, statusText: response.statusText, headers });
}

function toTarget(result: Response | undefined, checked: Target): Target | Response {
  if (result === undefined) return checked;
  const signal = readMiddlewareSignal(result);
  if (signal === undefined) return asSentRedirect(result, checked.request);
  const { request } = checked;
  const next = signal.requestHeaders === undefined ? request : withHeaders(request, signal.requestHeaders);
  const pathname = signal.kind === "rewrite" ? rewritePath(signal.destination, () => request.url) : checked.pathname;
  return new Target(next, pathname, hasHeaders(result) ? result : undefined);
}

function withHeaders(request: Request, headers: Headers): Request {
  const init: RequestInit & { duplex?: "half" } = { headers };
  // The method, not request.body: asking a server request for its body stream builds one.
  if (request.method !== "GET" && request.method !== "HEAD") init.duplex = "half";
  return new Request(toNative(request), init);
}

/** A Target rather than a Response (a plain prototype check: Response's own instanceof is wider). */
export function isTarget(value: Target | Response): value is Target {
  return value instanceof Target;
}
