import { HttpError } from "../errors/http-error.js";
import type { Params, Router } from "../router/types.js";
import { TrieRouter } from "../router/trie-router.js";
import { isNotFoundError, isRedirectError, toRedirectResponse } from "./navigation.js";
import { canonicalPath } from "./middleware/canonical-path.js";
import { createMiddlewareStep, isTarget, Target } from "./middleware/step.js";
import { guardJson } from "./guard-json.js";
import { mergeHeaders } from "./merge-headers.js";
import { serverPlainPathname, serverRequestPath } from "../server/request.js";
import { checkPath, splitPath, splitUrl, trailingSlashRedirect } from "./path.js";
import type { CompressionOptions } from "../compression/compressor.js";
import type { Encoding } from "../compression/negotiate.js";
import { createPublicFiles, type PublicFiles } from "./public-files.js";
import type { ErrorFormat } from "../errors/error-fields.js";
import { asProblem, httpErrorResponse, internalErrorResponse, notFoundResponse, unknownPathResponse, wantsJson } from "./responses.js";
import { RouteEntry } from "./route-entry.js";
import type { AppManifest, ManifestRoute } from "./types.js";
import { channels, traced, type RequestTraceContext } from "../tracing/channels.js";
import type { ConfigRouting } from "./config-routes/types.js";
import { compileRouting } from "./config-routes/rules.js";
import { belowBasePath, createConfiguredFlow } from "./config-routes/flow.js";

export interface PageRenderer {
  (
    request: Request,
    target: { route: ManifestRoute; params: Params; manifest: AppManifest; logger: Pick<Console, "error"> },
  ): Promise<Response>;
}

/** A built-in handler under a fixed path prefix (jobs dashboard, OpenAPI), run after middleware. */
export interface Mount {
  prefix: string;
  handle(request: Request): Promise<Response | undefined>;
}

export interface AppOptions {
  /** Full error details in responses, modules re-loaded per request. */
  dev?: boolean;
  logger?: Pick<Console, "error" | "warn" | "info">;
  mounts?: Mount[];
  /** Provided by the pages feature; without it a page-only route answers 404. */
  renderPage?: PageRenderer;
  /** The pages feature's not-found page for browsers (app/not-found.tsx); default a small HTML page. */
  notFound?: (request: Request, manifest: AppManifest) => Promise<Response>;
  /** Wraps every route handler and middleware call, e.g. to provide cookies()/headers() through AsyncLocalStorage. */
  around?: <T>(request: Request, fn: () => Promise<T>) => Promise<T>;
  /** The app's compression settings: which precompressed siblings (.br, .gz) of static files to send. */
  compression?: false | CompressionOptions | undefined;
  /** `errors.format` from tandem.config.ts: "problem+json" writes error responses as RFC 9457 problem details. */
  errorFormat?: ErrorFormat | undefined;
  /** `app` of the tracing contexts: one object per runtime, kept across dev reloads. Default a new object. */
  identity?: object;
  /**
   * next.config's redirects, rewrites, headers, basePath and trailingSlash (stored by the build).
   * Without it requests take the usual path, which none of this code is on.
   */
  routing?: ConfigRouting | undefined;
}

export type UpgradeResult =
  | { kind: "socket"; module: Record<string, unknown>; params: Params; request: Request }
  | { kind: "response"; response: Response };

export interface TandemApp {
  fetch(request: Request): Promise<Response>;
  /**
   * What `fetch` does, without the promise `fetch` adds: a Response when nothing on the way
   * waits (no middleware, and a route handler that answers synchronously), and otherwise a
   * promise that may reject with the handler's own error, for `recover`. The server calls this one.
   */
  handle(request: Request): Response | Promise<Response>;
  /**
   * The response for an error that the promise from `handle` rejected with. `handle` hands back a
   * route handler's own promise, without one more promise around it to catch errors: its caller
   * (the server, through `recover` in serve()'s options) maps a rejection with this instead.
   */
  recover(error: unknown, request: Request): Response;
  /** Resolves when promises that middleware handed to `event.waitUntil()` have settled (shutdown). */
  settled(): Promise<void>;
  /** Whether middleware runs for this path (startup checks that built-in pages sit behind auth). */
  guards(pathname: string): Promise<boolean>;
  /** The same checks, middleware and routing as fetch, ending at a socket.ts route. */
  upgrade(request: Request): Promise<UpgradeResult>;
}

export function createApp(manifest: AppManifest, options: AppOptions = {}): TandemApp {
  const dev = options.dev ?? false;
  const logger = options.logger ?? console;
  const router: Router<RouteEntry> = new TrieRouter<RouteEntry>();
  for (const route of manifest.routes) router.add(route.pattern, new RouteEntry(route, dev));
  const mounts = options.mounts ?? [];
  const around = options.around;
  let publicFiles: Promise<PublicFiles> | undefined;
  let assetFiles: Promise<PublicFiles> | undefined;
  const middleware = createMiddlewareStep(manifest, { dev, logger, around });
  const compression = options.compression;
  const identity = options.identity ?? {};
  const encodings: Encoding[] =
    compression === false ? [] : (compression?.encodings ?? ["br", "gzip"]).filter((e) => e === "br" || e === "gzip");

  function toErrorResponse(error: unknown, request: Request): Response {
    if (isRedirectError(error)) return toRedirectResponse(error, request.url);
    if (isNotFoundError(error)) return notFoundResponse(request);
    if (error instanceof HttpError) return httpErrorResponse(error, request, { dev, logger });
    return internalErrorResponse(error, request, { dev, logger });
  }

  /** Path checks that need no I/O: a Response when the path is refused or redirected. */
  function checkTarget(request: Request): Target | Response {
    // The server already scanned its requests' targets: a plain one without '%' passes every
    // check below unchanged, except a trailing slash.
    const plain = serverPlainPathname(request);
    if (plain !== undefined && (plain.length === 1 || plain.charCodeAt(plain.length - 1) !== 47)) return new Target(request, plain);
    // A server request knows its path: parsing it back out of the absolute URL would build that URL.
    const path = serverRequestPath(request);
    const { pathname, search } = path === undefined ? splitUrl(request.url) : splitPath(path);
    checkPath(pathname);
    const redirect = trailingSlashRedirect(pathname, search);
    if (redirect !== undefined) return redirect;
    // "/%61dmin" is "/admin" to the router; send the client there so that middleware, router and
    // handler all see one spelling of the path and no check can be skipped by encoding.
    const canonical = canonicalPath(pathname);
    if (canonical !== pathname) return new Response(null, { status: 308, headers: { location: canonical + search } });
    return new Target(request, pathname);
  }

  /** Path checks, then middleware when the app has it: a Response when either answered. */
  async function resolveTarget(request: Request): Promise<Target | Response> {
    const checked = checkTarget(request);
    return !isTarget(checked) || middleware === undefined ? checked : runMiddleware(checked);
  }

  function plainHandle(incoming: Request, trace?: RequestTraceContext): Response | Promise<Response> {
    // One check of a getter while nothing listens; the traced path is plain async code.
    if (trace === undefined && channels.request.hasSubscribers) return handleTraced(incoming);
    const request = guardJson(incoming);
    try {
      const checked = checkTarget(request);
      if (!isTarget(checked)) return checked;
      // The one fast path, as in Hono's dispatch: a request that no middleware runs for gets the
      // route's answer as it is, a Response or the handler's own promise (the server maps a
      // rejection with recover()). Everything else is plain async code.
      if (middleware === undefined || middleware.skips(checked)) return route(checked.request, checked.pathname, trace);
      return throughMiddleware(checked, trace);
    } catch (error) {
      return toErrorResponse(error, request);
    }
  }

  /** handle() as one `tandem:request` operation; a handler's error is mapped here, so the context has the status sent. */
  function handleTraced(request: Request): Promise<Response> {
    const url = request.url;
    const start = url.indexOf("/", url.indexOf("//") + 2);
    const query = url.indexOf("?", start);
    const path = start === -1 ? "/" : url.slice(start, query === -1 ? undefined : query);
    const context: RequestTraceContext = { request, method: request.method, path, app: identity };
    return traced(channels.request, context, () =>
      Promise.resolve(configured === undefined ? plainHandle(request, context) : configured(guardJson(request))).catch((error: unknown) =>
        toErrorResponse(error, request),
      ),
    );
  }

  function runMiddleware(checked: Target): Promise<Target | Response> {
    if (!channels.middleware.hasSubscribers) return middleware!.run(checked);
    return traced(channels.middleware, { request: checked.request, path: checked.pathname }, () => middleware!.run(checked));
  }

  async function throughMiddleware(checked: Target, trace: RequestTraceContext | undefined): Promise<Response> {
    try {
      const target = await runMiddleware(checked);
      if (!isTarget(target)) return target;
      const response = await route(target.request, target.pathname, trace);
      return target.responseHeaders === undefined ? response : mergeHeaders(response, target.responseHeaders);
    } catch (error) {
      return toErrorResponse(error, checked.request);
    }
  }

  // Mounts may be added after createApp (the runtime adds the jobs dashboard once the app exists).
  const underMount = (pathname: string, prefix: string): boolean =>
    pathname.startsWith(prefix) && (pathname.length === prefix.length || pathname.charCodeAt(prefix.length) === 47);

  /** Mounts, client assets and public/ files: undefined when none of them serves this path. */
  async function builtIn(request: Request, pathname: string): Promise<Response | undefined> {
    for (const mount of mounts) {
      if (underMount(pathname, mount.prefix)) {
        const response = await mount.handle(request);
        if (response !== undefined) return response;
      }
    }
    if (manifest.assetsDir !== undefined && pathname.startsWith("/assets/")) {
      assetFiles ??= createPublicFiles(manifest.assetsDir, { dev: false, immutablePrefix: "/assets/", encodings });
      const file = await (await assetFiles).serve(request, pathname);
      if (file !== undefined) return file;
    }
    if (manifest.publicDir !== undefined) {
      publicFiles ??= createPublicFiles(manifest.publicDir, { dev, encodings });
      return (await publicFiles).serve(request, pathname);
    }
    return undefined;
  }

  let readyPublic: PublicFiles | undefined;

  /** Whether builtIn() could answer: checked synchronously so ordinary routes skip its promise. */
  function mayBeBuiltIn(pathname: string): boolean {
    for (const mount of mounts) if (underMount(pathname, mount.prefix)) return true;
    if (manifest.assetsDir !== undefined && pathname.startsWith("/assets/")) return true;
    if (manifest.publicDir === undefined) return false;
    if (readyPublic === undefined) {
      publicFiles ??= createPublicFiles(manifest.publicDir, { dev, encodings });
      void publicFiles.then(
        (files) => (readyPublic = files),
        () => {},
      );
      return true;
    }
    return readyPublic.has(pathname) ?? true;
  }

  function route(request: Request, pathname: string, trace: RequestTraceContext | undefined): Response | Promise<Response> {
    if (mayBeBuiltIn(pathname)) {
      return builtIn(request, pathname).then((response) => response ?? routeApp(request, pathname, trace));
    }
    return routeApp(request, pathname, trace);
  }

  function routeApp(request: Request, pathname: string, trace: RequestTraceContext | undefined): Response | Promise<Response> {
    const match = router.match(pathname);
    if (match === null) return notFound(request, pathname);
    if (trace !== undefined) trace.route = match.value.route.pattern;
    return routeMatch(request, pathname, match.value, match.params);
  }

  function routeMatch(request: Request, pathname: string, entry: RouteEntry, params: Params): Response | Promise<Response> {
    if (entry.hasRoute) {
      if (channels.route.hasSubscribers) return traceRoute(entry, request, params);
      return around === undefined ? entry.handle(request, params) : around(request, () => Promise.resolve(entry.handle(request, params)));
    }
    if (entry.route.page !== undefined && options.renderPage !== undefined) {
      const render = options.renderPage;
      const target = { route: entry.route, params, manifest, logger };
      if (!channels.render.hasSubscribers) return render(request, target);
      return traced(channels.render, { request, route: entry.route.pattern }, () => render(request, target));
    }
    return notFound(request, pathname);
  }

  /** A route handler as one `tandem:route` operation (kept apart so that untraced calls make no closure). */
  function traceRoute(entry: RouteEntry, request: Request, params: Params): Promise<Response> {
    const call = () => entry.handle(request, params);
    return traced(channels.route, { request, method: request.method, route: entry.route.pattern }, () =>
      around === undefined ? call() : around(request, () => Promise.resolve(call())),
    );
  }

  function notFound(request: Request, pathname: string): Promise<Response> | Response {
    // Browsers ask for /favicon.ico on their own: an app without one answers in 9 bytes, not a page.
    if (pathname === "/favicon.ico")
      return new Response("Not Found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
    // The app's not-found page for anyone who does not ask for JSON (curl and fetch send */*), as
    // Next.js answers every unknown path with its 404 page.
    if (options.notFound && !wantsJson(request)) return options.notFound(request, manifest);
    return unknownPathResponse(request);
  }

  const configured =
    options.routing === undefined
      ? undefined
      : createConfiguredFlow(compileRouting(options.routing), {
          middleware,
          files: (request, pathname) => (mayBeBuiltIn(pathname) ? builtIn(request, pathname) : undefined),
          match(pathname) {
            const found = router.match(pathname);
            if (found === null) return undefined;
            const { value, params } = found;
            return {
              dynamic: value.route.pattern.includes("["),
              handler: value.hasRoute,
              serve: (request) =>
                value.hasRoute || value.route.page !== undefined
                  ? routeMatch(request, pathname, value, params)
                  : notFound(request, pathname),
            };
          },
          notFound,
          toErrorResponse,
        });
  const handleAny =
    configured === undefined
      ? plainHandle
      : (incoming: Request): Response | Promise<Response> =>
          channels.request.hasSubscribers ? handleTraced(incoming) : configured(guardJson(incoming));

  // Problem details are opt-in: only then does every answer pass one more check (and an
  // asynchronous one one more promise turn) for an error response to rewrite.
  const problem = options.errorFormat === "problem+json";
  const handle = !problem
    ? handleAny
    : (request: Request): Response | Promise<Response> => {
        const answer = handleAny(request);
        if (typeof (answer as { then?: unknown } | null)?.then !== "function") return asProblem(answer as Response, request);
        return (answer as Promise<Response>).then((response) => asProblem(response, request));
      };

  // The request the error happened on, for the redirect base and the log: the original one, as
  // handle() has it (guardJson returns the same object).
  const recover = problem
    ? (error: unknown, request: Request): Response => asProblem(toErrorResponse(error, request), request)
    : (error: unknown, request: Request): Response => toErrorResponse(error, request);

  return {
    async fetch(request) {
      try {
        return await handle(request);
      } catch (error) {
        return recover(error, request);
      }
    },

    // Called with the request only: the second parameter is the traced path's own.
    handle,
    recover,

    async guards(pathname) {
      return middleware === undefined ? false : middleware.guards(pathname);
    },

    async settled() {
      await middleware?.settled();
    },

    async upgrade(incoming) {
      const basePath = options.routing?.basePath ?? "";
      // Socket routes live below next.config's basePath, as pages and handlers do.
      const request = basePath === "" ? incoming : belowBasePath(incoming, basePath);
      if (request === undefined) {
        return {
          kind: "response",
          response: httpErrorResponse(new HttpError("TND_ERR_NOT_FOUND", "No WebSocket route matches this path."), incoming),
        };
      }
      try {
        const target = await resolveTarget(request);
        if (!isTarget(target)) return { kind: "response", response: problem ? asProblem(target, request) : target };
        const match = router.match(target.pathname);
        const socket = match?.value.route.socket;
        if (match === null || socket === undefined) {
          const error = new HttpError("TND_ERR_NOT_FOUND", "No WebSocket route matches this path.");
          return { kind: "response", response: recover(error, request) };
        }
        return { kind: "socket", module: await socket(), params: match.params, request: target.request };
      } catch (error) {
        return { kind: "response", response: recover(error, request) };
      }
    },
  };
}
