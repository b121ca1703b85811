import { checkPath, splitPath, splitUrl } from "../path.js";
import { canonicalPath } from "../middleware/canonical-path.js";
import { isTarget, Target, type MiddlewareStep } from "../middleware/step.js";
import { guardJson } from "../guard-json.js";
import { mergeHeaders } from "../merge-headers.js";
import { serverRequestPath } from "../../server/request.js";
import { proxyTo } from "./proxy.js";
import type { CompiledRewrite, CompiledRouting, Destination, RulePaths } from "./rules.js";

/** What the request flow needs from createApp: its file and route lookups and its error mapping. */
export interface FlowApp {
  middleware: MiddlewareStep | undefined;
  /** A mount, client asset or public/ file for this path, else undefined. */
  files(request: Request, pathname: string): Promise<Response | undefined> | undefined;
  /**
   * The route for this path: `dynamic` when its pattern has a [param] segment, `handler` when a
   * route handler (route.ts) answers it rather than a page.
   */
  match(pathname: string): FoundRoute | undefined;
  notFound(request: Request, pathname: string): Response | Promise<Response>;
  toErrorResponse(error: unknown, request: Request): Response;
}

export interface FoundRoute {
  dynamic: boolean;
  handler: boolean;
  serve(request: Request): Response | Promise<Response>;
}

/**
 * The request flow of an app with a next.config, in Next.js's documented order: headers (added to
 * whatever answers), redirects, middleware, `beforeFiles` rewrites, files and static routes,
 * `afterFiles` rewrites, dynamic routes, `fallback` rewrites, 404. basePath and trailingSlash come
 * first. Apps without a next.config never reach this code (createApp keeps its fast path).
 */
export function createConfiguredFlow(routing: CompiledRouting, app: FlowApp): (request: Request) => Promise<Response> {
  const { basePath, trailingSlash } = routing;
  // Answers of route handlers: on those next.config's headers win over the handler's own, as in
  // Next.js (see withHeaders). A mark on the Response, since redirects, rewrites and middleware
  // pass it on through many returns.
  const handlerAnswers = new WeakSet<Response>();

  async function serve(found: FoundRoute, request: Request): Promise<Response> {
    if (!found.handler) return found.serve(request);
    const answer = await found.serve(request);
    handlerAnswers.add(answer);
    return answer;
  }

  async function handle(incoming: Request): Promise<Response> {
    let extra: Array<[string, string]> | undefined;
    try {
      const path = serverRequestPath(incoming);
      const { pathname: full, search } = path === undefined ? splitUrl(incoming.url) : splitPath(path);
      checkPath(full);
      const slash = slashRedirect(full, search, trailingSlash);
      if (slash !== undefined) return slash;
      const canonical = canonicalPath(full);
      if (canonical !== full) return location(308, canonical + search);
      const bare = trailingSlash && full.length > 1 && full.endsWith("/") ? full.slice(0, -1) : full;
      const inner =
        basePath === "" ? bare : bare === basePath ? "/" : bare.startsWith(`${basePath}/`) ? bare.slice(basePath.length) : undefined;
      const paths: RulePaths = { full: bare, inner };
      extra = routing.headers(incoming, paths);
      const response = await route(incoming, paths, search);
      return extra === undefined ? response : withHeaders(response, extra, handlerAnswers.has(response));
    } catch (error) {
      const response = app.toErrorResponse(error, incoming);
      return extra === undefined ? response : withHeaders(response, extra, false);
    }
  }

  async function route(incoming: Request, paths: RulePaths, search: string): Promise<Response> {
    const redirect = routing.redirect(incoming, paths);
    if (redirect !== undefined) return redirect;
    if (paths.inner === undefined) {
      // Outside basePath only rules with `basePath: false` apply (rewrites to other origins).
      for (const list of [routing.beforeFiles, routing.afterFiles, routing.fallback]) {
        const to = firstRewrite(list, incoming, paths);
        if (to !== undefined) return proxyTo(to.origin! + to.pathname + to.search, incoming);
      }
      return app.notFound(incoming, paths.full);
    }
    // The app sees its paths below basePath, as Next.js's `nextUrl.pathname` does.
    let request = basePath === "" ? incoming : withUrl(incoming, paths.inner + search);
    let pathname = paths.inner;
    let responseHeaders: Response | undefined;
    if (app.middleware !== undefined) {
      const target = await app.middleware.run(new Target(request, pathname));
      if (!isTarget(target)) return prefixRedirect(target);
      ({ request, pathname } = target);
      responseHeaders = target.responseHeaders;
    }
    let response: Response;
    try {
      response = await resolve(request, pathname);
    } catch (error) {
      // A handler's redirect() (or other error) becomes its response here, so that it gets basePath too.
      response = app.toErrorResponse(error, request);
    }
    const out = prefixRedirect(responseHeaders === undefined ? response : mergeHeaders(response, responseHeaders));
    if (out !== response && handlerAnswers.has(response)) handlerAnswers.add(out);
    return out;
  }

  async function resolve(start: Request, startPath: string): Promise<Response> {
    let request = start;
    let pathname = startPath;
    // beforeFiles: every matching rule applies in turn; no file or route is checked in between.
    for (const rule of routing.beforeFiles) {
      const to = rule.apply(request, { full: basePath + pathname, inner: pathname });
      if (to === undefined) continue;
      if (to.origin !== undefined) return proxyTo(to.origin + to.pathname + to.search, request);
      ({ request, pathname } = rewritten(request, to));
    }
    const file = await app.files(request, pathname);
    if (file !== undefined) return file;
    const found = app.match(pathname);
    if (found !== undefined && !found.dynamic) return serve(found, request);
    for (const list of [routing.afterFiles, undefined, routing.fallback]) {
      if (list === undefined) {
        const dynamic = app.match(pathname);
        if (dynamic !== undefined) return serve(dynamic, request);
        continue;
      }
      // afterFiles and fallback: after each matching rule, files and every route are checked again.
      for (const rule of list) {
        const to = rule.apply(request, { full: basePath + pathname, inner: pathname });
        if (to === undefined) continue;
        if (to.origin !== undefined) return proxyTo(to.origin + to.pathname + to.search, request);
        ({ request, pathname } = rewritten(request, to));
        const file = await app.files(request, pathname);
        if (file !== undefined) return file;
        const found = app.match(pathname);
        if (found !== undefined) return serve(found, request);
      }
    }
    return app.notFound(request, pathname);
  }

  /**
   * redirect() and Tandem's own redirects build absolute URLs from the request, which below
   * basePath lacks it: same-origin ones get it back, as Next.js's redirect() adds it.
   */
  function prefixRedirect(response: Response): Response {
    if (basePath === "" || response.status < 300 || response.status > 399) return response;
    const target = response.headers.get("location");
    if (target === null || !/^https?:\/\//i.test(target)) return response;
    const url = new URL(target);
    if (url.pathname === basePath || url.pathname.startsWith(`${basePath}/`)) return response;
    return new Response(response.body, {
      status: response.status,
      headers: replaced(response.headers, "location", url.origin + basePath + url.pathname + url.search + url.hash),
    });
  }

  return handle;
}

function firstRewrite(list: CompiledRewrite[], request: Request, paths: RulePaths): Destination | undefined {
  for (const rule of list) {
    const to = rule.apply(request, paths);
    if (to !== undefined && to.origin !== undefined) return to;
  }
  return undefined;
}

/**
 * The request after a rewrite: routed by the destination's path; its URL keeps the path the client
 * asked for (as a page's usePathname does in Next.js) and takes the merged query.
 */
function rewritten(request: Request, to: Destination): { request: Request; pathname: string } {
  const url = request.url;
  const q = url.indexOf("?");
  const current = q === -1 ? "" : url.slice(q);
  if (current === to.search) return { request, pathname: to.pathname };
  const { pathname } = splitUrl(url);
  return { request: withUrl(request, pathname + to.search), pathname: to.pathname };
}

/** The request as the app sees it below basePath ("/docs/ws" -> "/ws"); undefined outside basePath. */
export function belowBasePath(request: Request, basePath: string): Request | undefined {
  const { pathname, search } = splitUrl(request.url);
  if (pathname !== basePath && !pathname.startsWith(`${basePath}/`)) return undefined;
  return withUrl(request, (pathname.slice(basePath.length) || "/") + search);
}

function withUrl(request: Request, pathAndQuery: string): Request {
  const url = new URL(pathAndQuery, request.url);
  const init: RequestInit & { duplex?: "half" } = { method: request.method, headers: request.headers, signal: request.signal };
  // The method, not request.body: asking a server request for its body stream builds one.
  if (request.method !== "GET" && request.method !== "HEAD") {
    init.body = request.body;
    init.duplex = "half";
  }
  // A plain Request: its json() gets the server's safe parser (proto poisoning, depth), as in memory.
  return guardJson(new Request(url, init));
}

/** trailingSlash false (Next.js's default): "/a/" -> "/a". true: "/a" -> "/a/", except for a file name ("/a.txt/" -> "/a.txt"). */
function slashRedirect(pathname: string, search: string, trailingSlash: boolean): Response | undefined {
  if (pathname === "/") return undefined;
  const slashed = pathname.charCodeAt(pathname.length - 1) === 47;
  if (!trailingSlash) {
    if (!slashed) return undefined;
    const target = pathname.replace(/\/+$/, "") || "/";
    // "//evil.com/" would become a protocol-relative redirect to another host.
    return target.startsWith("//") ? undefined : location(308, target + search);
  }
  const trimmed = pathname.replace(/\/+$/, "");
  const last = trimmed.slice(trimmed.lastIndexOf("/") + 1);
  const isFile = /\.\w+$/.test(last) && !trimmed.startsWith("/.well-known/");
  if (isFile) return slashed && !trimmed.startsWith("//") ? location(308, trimmed + search) : undefined;
  if (slashed && trimmed.length + 1 === pathname.length) return undefined;
  const target = `${trimmed}/`;
  return target.startsWith("//") ? undefined : location(308, target + search);
}

function location(status: number, target: string): Response {
  return new Response(null, { status, headers: { location: target } });
}

// Headers Next.js sends both values of when next.config and a route handler set them (its
// send-response.js); Set-Cookie is handled on its own.
const BOTH_VALUES = new Set(["vary", "www-authenticate", "proxy-authenticate"]);

/**
 * Adds next.config's headers to the answer, as Next.js does: of one name the last matching value
 * wins, except Set-Cookie, of which every value is sent, next.config's before the answer's own.
 * On a route handler's answer (`handler`) next.config's value replaces the handler's, except for
 * Vary, WWW-Authenticate and Proxy-Authenticate, which get both, next.config's first: Next.js sets
 * the config's headers on the node response before the handler runs and then copies only the
 * handler's headers that are not set yet. Any other answer (a page, a redirect, a 404) keeps its
 * own value.
 */
function withHeaders(response: Response, extra: Array<[string, string]>, handler: boolean): Response {
  const decided = new Map<string, string>();
  const cookies: string[] = [];
  for (const [key, value] of extra) {
    const name = key.toLowerCase();
    if (name === "set-cookie") cookies.push(value);
    else decided.set(name, value);
  }
  const add = (headers: Headers): void => {
    for (const [key, value] of decided) {
      const own = headers.get(key);
      if (own === null) headers.set(key, value);
      else if (handler) headers.set(key, BOTH_VALUES.has(key) ? `${value}, ${own}` : value);
    }
    if (cookies.length === 0) return;
    const own = headers.getSetCookie();
    headers.delete("set-cookie");
    for (const cookie of [...cookies, ...own]) headers.append("set-cookie", cookie);
  };
  try {
    add(response.headers);
    return response;
  } catch {
    // Immutable headers (a fetch() answer, Response.redirect()): a copy takes them.
    const copy = new Response(response.body, response);
    add(copy.headers);
    return copy;
  }
}

function replaced(headers: Headers, name: string, value: string): Headers {
  const out = new Headers(headers);
  out.set(name, value);
  return out;
}
