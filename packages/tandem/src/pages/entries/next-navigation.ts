/**
 * next/navigation: the control-flow functions (server and client) and the client hooks. Server
 * Components import it too (for redirect()), so nothing here touches React at import time.
 */
import { withBasePath } from "./base-path.js";
import * as React from "react";
import { accessErrorStatus, isRedirectError } from "../../app/navigation.js";
import { navigate, prefetch, refresh } from "./client-router.js";
import { navigationStateContext, segmentDepthContext, type NavigationState } from "./navigation-context.js";

export {
  redirect,
  permanentRedirect,
  notFound,
  forbidden,
  unauthorized,
  RedirectType,
} from "../../app/navigation.js";

/** Rethrows the errors redirect(), notFound(), forbidden() and unauthorized() throw, so a catch-all `catch` can pass them on. */
export function unstable_rethrow(error: unknown): void {
  if (isRedirectError(error) || accessErrorStatus(error) !== undefined) throw error;
}

/** useSearchParams()'s type in Next.js. Here a copy: changing it changes nothing else. */
export class ReadonlyURLSearchParams extends URLSearchParams {}

export interface NavigateOptions {
  scroll?: boolean;
}

/** useRouter()'s object (Next.js's AppRouterInstance). */
export interface AppRouterInstance {
  push(href: string, options?: NavigateOptions): void;
  replace(href: string, options?: NavigateOptions): void;
  refresh(): void;
  back(): void;
  forward(): void;
  /**
   * Fetches the page's payload ahead, in production builds; a navigation within 5 minutes uses it.
   * Next.js's options are accepted; `onInvalidate` is not called (see docs/pages.md#prefetching).
   */
  prefetch(href: string, options?: { kind?: unknown; onInvalidate?: () => void }): void;
}

function useNavigationState(): NavigationState {
  const state = React.useContext(navigationStateContext());
  if (state !== null) return state;
  // Outside a page tree (a component rendered on its own in the browser): the document's URL.
  if (typeof window !== "undefined")
    return { pathname: window.location.pathname, search: window.location.search, params: {}, segments: [] };
  return { pathname: "/", search: "", params: {}, segments: [] };
}

const router: AppRouterInstance = {
  push: (href, options) => void navigate(withBasePath(href), options?.scroll === false ? { scroll: false } : {}),
  replace: (href, options) => void navigate(withBasePath(href), { replace: true, ...(options?.scroll === false ? { scroll: false } : {}) }),
  refresh: () => void refresh(),
  back: () => window.history.back(),
  forward: () => window.history.forward(),
  prefetch: (href) => prefetch(withBasePath(href), "full"),
};

/** Client-side navigation from code. One object for the whole app, so it is safe in effect dependencies. */
export function useRouter(): AppRouterInstance {
  return router;
}

/** The current URL's path, without the query string. */
export function usePathname(): string {
  return useNavigationState().pathname;
}

/** The current URL's query parameters (read-only). */
export function useSearchParams(): ReadonlyURLSearchParams {
  const { search } = useNavigationState();
  return React.useMemo(() => new ReadonlyURLSearchParams(search), [search]);
}

/** The current route's dynamic params: `[id]` → string, catch-alls → string[]. */
export function useParams<T extends Record<string, string | string[]> = Record<string, string | string[]>>(): T {
  return useNavigationState().params as T;
}

/** The active segments below the layout that calls it (route groups included, as in Next.js). */
export function useSelectedLayoutSegments(): string[] {
  const { segments } = useNavigationState();
  const depth = React.useContext(segmentDepthContext());
  return segments.slice(depth).filter((segment) => segment !== "");
}

/** The first active segment below the layout that calls it, or null. */
export function useSelectedLayoutSegment(): string | null {
  return useSelectedLayoutSegments()[0] ?? null;
}
