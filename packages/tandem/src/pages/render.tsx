/// <reference types="@vitejs/plugin-rsc/types" />
import { renderToReadableStream } from "@vitejs/plugin-rsc/rsc/server";
import type { ReactNode } from "react";
import type { ReactFormState } from "react-dom/client";
import type { AppManifest, ManifestRoute } from "../app/types.js";
import type { Params } from "../router/types.js";
import { runAction, runFormAction } from "./action.js";
import { DYNAMIC_CACHE_CONTROL } from "../app/cache-control.js";
import { ACTION_HEADER, PREFETCH_HEADER, RSC_CONTENT_TYPE, RSC_HEADER } from "./protocol.js";
import type { HtmlOptions, HtmlResult } from "./entries/ssr.js";
import { controlOf, type Control } from "./control.js";
import { DEFAULT_VIEWPORT, documentTags, metadataTags, resolveMetadata, resolveViewport, withFileImages } from "./metadata.js";
import { logRequestError, runWithRequestContext, type PagesLogger } from "./request-context.js";
import { runningRequestId } from "./request-id.js";
import { NavigationProvider } from "./entries/navigation.js";
import {
  buildNotFoundTree,
  buildTree,
  errorDigest,
  loadRoute,
  segmentValues,
  type LoadedRoute,
  type RenderState,
  type TreeProps,
} from "./tree.js";
import type { ActionOptions, PageData, PageModule, RscPayload } from "./types.js";
import { documentError, escapeHtml } from "./document-error.js";
import { createStaticPages, findStaticDir, isPrerenderRequest, paramsAllowed } from "./static.js";

export interface RendererOptions {
  actions?: ActionOptions;
  dev?: boolean;
}

export interface PageTarget {
  route: ManifestRoute;
  params: Params;
  manifest: AppManifest;
  /** The app's logger, for failures of this request (see logRequestError). */
  logger?: PagesLogger;
}

interface Render {
  state: RenderState;
  control: Control | undefined;
}

/** Builds `renderPage` for createApp: documents, RSC payloads and Server Action calls. */
export function createPageRenderer(options: RendererOptions = {}) {
  const dev = options.dev ?? import.meta.env?.DEV ?? false;
  const actionOptions = options.actions ?? {};
  // Production only: pages prerendered by the build (force-static) are answered from disk.
  // A missing folder is looked for again after a second (a build may be written later).
  let staticPages: ReturnType<typeof createStaticPages> | undefined;
  let lookedAt = 0;
  const fromDisk = async (request: Request): Promise<Response | undefined> => {
    if (dev || isPrerenderRequest(request)) return undefined;
    if (staticPages === undefined && Date.now() - lookedAt > 1000) {
      lookedAt = Date.now();
      const dir = findStaticDir(import.meta.url);
      if (dir !== undefined) staticPages = createStaticPages(dir);
    }
    return staticPages?.(request);
  };

  // Production modules never change, so each route's modules are gathered once (dev re-imports
  // them on every request so that edits show up).
  const loaded = new WeakMap<ManifestRoute, Promise<LoadedRoute>>();
  const routeOf = (route: ManifestRoute): Promise<LoadedRoute> => {
    if (dev) return loadRoute(route);
    let promise = loaded.get(route);
    if (promise === undefined) {
      promise = loadRoute(route);
      loaded.set(route, promise);
      promise.catch(() => loaded.delete(route));
    }
    return promise;
  };

  return async function renderPage(request: Request, target: PageTarget): Promise<Response> {
    const method = request.method;
    if (method !== "GET" && method !== "HEAD" && method !== "POST") {
      return new Response(null, { status: 405, headers: { allow: "GET, HEAD, POST" } });
    }
    if (method !== "POST" && !request.headers.has(ACTION_HEADER)) {
      const hit = await fromDisk(request);
      if (hit !== undefined) return hit;
    }
    return runWithRequestContext(request, () => renderInContext(request, target).catch(toErrorResponse), {
      params: target.params,
      phase: "render",
      ...(target.logger === undefined ? {} : { logger: target.logger }),
    });
  };

  async function renderInContext(request: Request, target: PageTarget): Promise<Response> {
    const method = request.method;
    const url = new URL(request.url);
    const route = await routeOf(target.route);
    const props = treeProps(target.params, url);
    const wantsRsc = request.headers.get(RSC_HEADER) === "1";
    const actionId = request.headers.get(ACTION_HEADER);
    if (actionId !== null || method === "POST") {
      if (actionId !== null) {
        const outcome = await runAction(request, actionId, actionOptions, dev);
        if (outcome.redirect !== undefined) return rscResponse({ root: null, redirect: outcome.redirect }, {});
        return rscResponse(
          await payloadFor(route, props, url, dev),
          { temporaryReferences: outcome.temporaryReferences },
          outcome.returnValue,
        );
      }
      const outcome = await runFormAction(request, actionOptions);
      if (outcome.control?.kind === "redirect") return redirectResponse(outcome.control.url, url, 303);
      if (outcome.control?.kind === "notFound") return notFoundDocument(route, props, url, dev);
      return documentResponse(request, route, props, url, dev, outcome.formState);
    }
    if (!(await paramsAllowed(route.pattern, route.page, target.params))) return notFoundDocument(route, props, url, dev);
    // A prerendered page was answered from disk before this; a dynamic one is not rendered ahead
    // for a plain <Link> (Next.js prefetches only its loading state; its data waits for the click).
    if (wantsRsc && request.headers.get(PREFETCH_HEADER) === "auto")
      return new Response(null, { status: 204, headers: { "cache-control": "no-store", vary: `${RSC_HEADER}, ${PREFETCH_HEADER}` } });
    if (wantsRsc) return rscResponse(await payloadFor(route, props, url, dev), {});
    return documentResponse(request, route, props, url, dev, undefined);
  }

  async function payloadFor(route: LoadedRoute, props: TreeProps, url: URL, isDev: boolean): Promise<RscPayload> {
    return { root: await pageRoot(route, props, url, { caughtError: false, dev: isDev }) };
  }

  function rscResponse(
    payload: RscPayload,
    rscOptions: { temporaryReferences?: unknown },
    returnValue?: RscPayload["returnValue"],
  ): Response {
    const full = returnValue === undefined ? payload : { ...payload, returnValue };
    const stream = renderToReadableStream<RscPayload>(full, { ...rscOptions, onError: (e: unknown) => reportError(e) });
    return new Response(stream, {
      headers: { "content-type": RSC_CONTENT_TYPE, "cache-control": DYNAMIC_CACHE_CONTROL, vary: RSC_HEADER },
    });
  }
}

/**
 * HttpErrors (action checks, invalid modules) become their responses here: the server bundle has
 * its own copy of the HttpError class, so the app's `instanceof` check would not recognize them.
 */
function toErrorResponse(error: unknown): Response {
  const e = error as { toResponse?: unknown; status?: unknown } | null;
  if (e !== null && typeof e === "object" && typeof e.toResponse === "function" && typeof e.status === "number") {
    return (e.toResponse as () => Response)();
  }
  throw error;
}

// The params of each render's props as values, for next/navigation's useParams().
const plainParams = new WeakMap<TreeProps, Params>();

function treeProps(params: Params, url: URL): TreeProps {
  const searchParams: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    searchParams[key] = values.length === 1 ? values[0]! : values;
  }
  const props = { params: Promise.resolve({ ...params }), searchParams: Promise.resolve(searchParams) };
  plainParams.set(props, params);
  return props;
}

async function pageRoot(route: LoadedRoute, props: TreeProps, url: URL, state: RenderState): Promise<ReactNode> {
  const modules = [...route.segments.flatMap((s) => (s.layout === undefined ? [] : [s.layout])), route.page];
  const [metadata, viewport] = await Promise.all([resolveMetadata(modules, props), resolveViewport(modules, props)]);
  const params = plainParams.get(props) ?? {};
  return (
    <>
      {documentTags(viewport, route.icons)}
      {metadataTags(withFileImages(metadata, route.icons), url)}
      <NavigationProvider
        state={{ pathname: url.pathname, search: url.search, params: { ...params }, segments: segmentValues(route, params) }}
      >
        {buildTree(route, props, state, url.pathname)}
      </NavigationProvider>
    </>
  );
}

function reportError(error: unknown): string {
  const control = controlOf(error);
  if (control !== undefined) return (error as { digest: string }).digest;
  logRequestError(`render error ${errorDigest(error)}:`, error, runningRequestId());
  return errorDigest(error);
}

type SsrEntry = typeof import("./entries/ssr.js");
let ssrEntryOnce: Promise<SsrEntry> | undefined;

/** A dynamic import per document costs a module resolution each time; production keeps the first. */
function ssrEntry(dev: boolean): Promise<SsrEntry> {
  if (dev) return import.meta.viteRsc.loadModule<SsrEntry>("ssr", "index");
  ssrEntryOnce ??= import.meta.viteRsc.loadModule<SsrEntry>("ssr", "index");
  return ssrEntryOnce;
}

async function renderHtml(root: ReactNode, render: Render, options: HtmlOptions): Promise<HtmlResult> {
  const rscStream = renderToReadableStream<RscPayload>(
    { root, ...(options.formState === undefined ? {} : { formState: options.formState }) },
    {
      onError(error: unknown) {
        const control = controlOf(error);
        if (control !== undefined) render.control ??= control;
        return reportError(error);
      },
    },
  );
  return (await ssrEntry(render.state.dev)).renderHtml(rscStream, options);
}

async function documentResponse(
  request: Request,
  route: LoadedRoute,
  props: TreeProps,
  url: URL,
  dev: boolean,
  formState: ReactFormState | undefined,
): Promise<Response> {
  const render: Render = { state: { caughtError: false, dev }, control: undefined };
  let root: ReactNode;
  try {
    root = await pageRoot(route, props, url, render.state);
  } catch (error) {
    // generateMetadata() may call notFound()/redirect() before anything renders.
    const control = controlOf(error);
    if (control === undefined) throw error;
    render.control = control;
    root = null;
  }
  const result = render.control === undefined ? await renderHtml(root, render, formState === undefined ? {} : { formState }) : undefined;
  if (render.control !== undefined) {
    if (result?.ok) void result.stream.cancel();
    if (render.control.kind === "redirect") {
      return redirectResponse(render.control.url, url, request.method === "POST" ? 303 : render.control.status);
    }
    if (render.control.kind === "denied") return deniedDocument(render.control.status);
    return notFoundDocument(route, props, url, dev);
  }
  if (!result!.ok) return documentError(result!.error, dev);
  const status = render.state.caughtError ? 500 : 200;
  const body = request.method === "HEAD" ? (void result!.stream.cancel(), null) : result!.stream;
  return new Response(body, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": DYNAMIC_CACHE_CONTROL, vary: RSC_HEADER },
  });
}

/** forbidden()/unauthorized() in a page: Next.js's default pages (forbidden.tsx is not read yet). */
function deniedDocument(status: 401 | 403): Response {
  const text = status === 403 ? "This page could not be accessed." : "You're not authorized to access this page.";
  return new Response(
    `<!doctype html><meta name="robots" content="noindex"><title>${status}: ${text}</title><h1>${status}</h1><p>${text}</p>`,
    {
      status,
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": DYNAMIC_CACHE_CONTROL },
    },
  );
}

function redirectResponse(location: string, url: URL, status: number): Response {
  return new Response(null, { status, headers: { location: new URL(location, url).href } });
}

async function notFoundDocument(
  route: LoadedRoute | undefined,
  props: TreeProps,
  url: URL,
  dev: boolean,
  rootLayout?: PageModule,
): Promise<Response> {
  const render: Render = { state: { caughtError: false, dev }, control: undefined };
  const root = (
    <>
      {documentTags(DEFAULT_VIEWPORT, route?.icons)}
      {<meta name="robots" content="noindex" />}
      {await notFoundMetadata(route, props, url)}
      {buildNotFoundTree(route, props, rootLayout)}
    </>
  );
  const result = await renderHtml(root, render, {});
  if (!result.ok || render.control !== undefined) {
    if (result.ok) void result.stream.cancel();
    return new Response(
      `<!doctype html><meta charset="utf-8"><title>404</title><h1>404</h1><p>${escapeHtml(url.pathname)} could not be found.</p>`,
      {
        status: 404,
        headers: { "content-type": "text/html; charset=utf-8", "cache-control": DYNAMIC_CACHE_CONTROL },
      },
    );
  }
  return new Response(result.stream, {
    status: 404,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": DYNAMIC_CACHE_CONTROL },
  });
}

/**
 * The metadata of the layouts the not-found page renders in (the title, first, wins over the
 * default page's own), as Next.js gives it. A generateMetadata() that fails here leaves it out:
 * the 404 still answers.
 */
async function notFoundMetadata(route: LoadedRoute | undefined, props: TreeProps, url: URL): Promise<ReactNode> {
  const segments = route?.segments ?? [];
  const boundary = Math.max(
    segments.findLastIndex((s) => s.notFound !== undefined),
    0,
  );
  const layouts = segments.slice(0, boundary + 1).flatMap((s) => (s.layout === undefined ? [] : [s.layout]));
  if (layouts.length === 0) return null;
  try {
    return metadataTags(withFileImages(await resolveMetadata(layouts, props), route?.icons), url);
  } catch {
    return null;
  }
}

/** The app's not-found page for URLs no route matches (root layout + app/not-found.tsx). */
export async function renderNotFoundPage(
  request: Request,
  manifest: AppManifest,
  options: { dev?: boolean; logger?: PagesLogger } = {},
): Promise<Response> {
  const dev = options.dev ?? import.meta.env?.DEV ?? false;
  const url = new URL(request.url);
  const withPages = manifest.routes.find((r) => (r.pageData as PageData | undefined)?.segments?.[0] !== undefined);
  const rootSegment = (withPages?.pageData as PageData | undefined)?.segments[0];
  const route: LoadedRoute | undefined =
    rootSegment === undefined
      ? undefined
      : {
          pattern: "/",
          page: {},
          icons: (withPages?.pageData as PageData | undefined)?.icons ?? [],
          segments: [
            {
              ...(rootSegment.layout === undefined ? {} : { layout: await rootSegment.layout() }),
              ...(rootSegment.notFound === undefined ? {} : { notFound: await rootSegment.notFound() }),
            },
          ],
        };
  return runWithRequestContext(request, () => notFoundDocument(route, treeProps({}, url), url, dev), {
    phase: "render",
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
}
