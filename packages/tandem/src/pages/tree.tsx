import { Suspense, type ComponentType, type ReactNode } from "react";
import type { ManifestRoute } from "../app/types.js";
import { HttpError } from "../errors/http-error.js";
import type { Params } from "../router/types.js";
import { DefaultErrorView, SegmentBoundary } from "./entries/boundary.js";
import { SegmentDepth } from "./entries/navigation.js";
import { controlOf } from "./control.js";
import { logRequestError } from "./request-context.js";
import { runningRequestId } from "./request-id.js";
import type { IconLink, PageData, PageModule } from "./types.js";

export interface LoadedSegment {
  layout?: PageModule;
  template?: PageModule;
  loading?: PageModule;
  error?: PageModule;
  notFound?: PageModule;
  /** The folder's name ("" for app/ itself). */
  name?: string;
}

export interface LoadedRoute {
  pattern: string;
  page: PageModule;
  segments: LoadedSegment[];
  icons: IconLink[];
}

/** Per-render facts the response status depends on. */
export interface RenderState {
  /** A page threw and its segment's error.tsx rendered instead. */
  caughtError: boolean;
  dev: boolean;
}

export async function loadRoute(route: ManifestRoute): Promise<LoadedRoute> {
  const data = route.pageData as PageData | undefined;
  const [page, segments] = await Promise.all([
    route.page!(),
    Promise.all(
      (data?.segments ?? []).map(async (s) => {
        const [layout, template, loading, error, notFound] = await Promise.all([
          s.layout?.(),
          s.template?.(),
          s.loading?.(),
          s.error?.(),
          s.notFound?.(),
        ]);
        return { layout, template, loading, error, notFound, name: s.name } as LoadedSegment;
      }),
    ),
  ]);
  return { pattern: route.pattern, page, segments, icons: data?.icons ?? [] };
}

export function componentOf(mod: PageModule | undefined, what: string): ComponentType<any> | undefined {
  if (mod === undefined) return undefined;
  const component = mod.default;
  if (typeof component !== "function") {
    throw new HttpError("TND_ERR_PAGES_INVALID_MODULE", `${what} must default-export a React component, got ${typeof component}.`);
  }
  return component as ComponentType<any>;
}

export interface TreeProps {
  params: Promise<Params>;
  searchParams: Promise<Record<string, string | string[]>>;
}

/**
 * Next.js nesting per segment: Layout > Template > error boundary > Suspense(loading) > children.
 * The page function is called here (not as an element) when an error.tsx covers it, so that a
 * data error becomes error.tsx in the server HTML: React's server renderer has no error boundaries.
 */
export function buildTree(route: LoadedRoute, props: TreeProps, state: RenderState, pathname: string): ReactNode {
  const Page = componentOf(route.page, `page of ${route.pattern}`)!;
  const nearestError = route.segments.findLast((s) => s.error !== undefined);
  const ErrorComponent = componentOf(nearestError?.error, `error.tsx above ${route.pattern}`);
  let node: ReactNode =
    ErrorComponent === undefined ? (
      <Page {...props} />
    ) : (
      <GuardedPage page={Page} props={props} errorComponent={ErrorComponent} state={state} />
    );
  // useSelectedLayoutSegments() in the page sees nothing below it.
  node = <SegmentDepth depth={route.segments.length - 1}>{node}</SegmentDepth>;
  for (let i = route.segments.length - 1; i >= 0; i--) {
    const segment = route.segments[i]!;
    const Loading = componentOf(segment.loading, `loading.tsx of ${route.pattern}`);
    if (Loading !== undefined) node = <Suspense fallback={<Loading />}>{node}</Suspense>;
    const ErrorView = componentOf(segment.error, `error.tsx of ${route.pattern}`);
    if (ErrorView !== undefined) node = <SegmentBoundary errorComponent={ErrorView}>{node}</SegmentBoundary>;
    // A template is a layout that mounts afresh on every navigation (Next.js), hence the key.
    const Template = componentOf(segment.template, `template.tsx of ${route.pattern}`);
    if (Template !== undefined) node = <Template key={pathname}>{node}</Template>;
    const Layout = componentOf(segment.layout, `layout.tsx of ${route.pattern}`);
    // Inside <body>: redirect()/notFound() met during a client navigation are handled here, so
    // the document's <html> never unmounts.
    if (i === 0) node = <SegmentBoundary errorComponent={DefaultErrorView}>{node}</SegmentBoundary>;
    if (Layout !== undefined) node = <SegmentDepth depth={i}>{<Layout params={props.params}>{node}</Layout>}</SegmentDepth>;
  }
  return node;
}

/**
 * Each segment folder's value below app/, as next/navigation's useSelectedLayoutSegments() returns
 * them: dynamic folders filled in from the params (a catch-all joined with "/"), groups kept.
 * Index k is folder k + 1 (app/ has no value), so a layout in folder i selects from index i on;
 * an optional catch-all without a value is "" (the hook leaves it out).
 */
export function segmentValues(route: LoadedRoute, params: Params): string[] {
  return route.segments.slice(1).flatMap((segment) => {
    const name = segment.name ?? "";
    const dynamic = /^\[{1,2}(?:\.\.\.)?([^\]]+)\]{1,2}$/.exec(name);
    if (dynamic === null) return [name];
    const value = params[dynamic[1]!] ?? "";
    return [Array.isArray(value) ? value.join("/") : value];
  });
}

async function GuardedPage(input: {
  page: ComponentType<any>;
  props: TreeProps;
  errorComponent: ComponentType<any>;
  state: RenderState;
}): Promise<ReactNode> {
  try {
    // Server Components are plain (async) functions; calling one runs its data fetching here.
    return await (input.page as (props: TreeProps) => ReactNode | Promise<ReactNode>)(input.props);
  } catch (error) {
    if (controlOf(error) !== undefined) throw error;
    input.state.caughtError = true;
    logRequestError("a Server Component failed:", error, runningRequestId());
    const ErrorView = input.errorComponent;
    return <SegmentBoundary errorComponent={ErrorView} serverError={toSafeError(error, input.state.dev)} />;
  }
}

/** What error.tsx may see: never the stack, and in production not even the message. */
export function toSafeError(error: unknown, dev: boolean): { message: string; digest: string } {
  const digest = errorDigest(error);
  const message = dev && error instanceof Error ? error.message : "An error occurred in the Server Components render.";
  return { message, digest };
}

export function errorDigest(error: unknown): string {
  const digest = (error as { digest?: unknown } | null)?.digest;
  if (typeof digest === "string") return digest;
  const text = error instanceof Error ? `${error.name}:${error.message}` : String(error);
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return (hash >>> 0).toString(36);
}

/** The layouts above the nearest not-found.tsx, with it (or a default) as their child. */
export function buildNotFoundTree(route: LoadedRoute | undefined, props: TreeProps, rootLayout?: PageModule): ReactNode {
  const segments = route?.segments ?? (rootLayout === undefined ? [] : [{ layout: rootLayout }]);
  let at = segments.findLastIndex((s) => s.notFound !== undefined);
  const NotFound = componentOf(segments[at]?.notFound, "not-found.tsx");
  if (at < 0) at = 0;
  let node: ReactNode = NotFound === undefined ? <DefaultNotFound /> : <NotFound />;
  let wrapped = false;
  for (let i = Math.min(at, segments.length - 1); i >= 0; i--) {
    const Layout = componentOf(segments[i]!.layout, "layout.tsx");
    if (Layout !== undefined) {
      node = <Layout params={props.params}>{node}</Layout>;
      wrapped = true;
    }
  }
  // No layout above the path (the root layout sits under a segment, as app/[lang]/layout.tsx):
  // Next.js gives its default 404 a document of its own, <html> and <body>, and so does this.
  if (!wrapped) {
    node = (
      // biome-ignore lint/a11y/useHtmlLang: no layout says the page's language (as in Next.js's own default 404 document), and guessing one would mislabel it
      <html>
        <body>{node}</body>
      </html>
    );
  }
  return node;
}

// The robots meta is the not-found document's own (render.tsx), whichever page renders.
function DefaultNotFound(): ReactNode {
  return (
    <>
      <title>404: This page could not be found.</title>
      <h1>404</h1>
      <h2>This page could not be found.</h2>
    </>
  );
}
