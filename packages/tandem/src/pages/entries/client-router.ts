/**
 * The browser entry registers how to navigate; client components (boundaries, links, forms,
 * next/navigation's useRouter) call it. Before hydration (or without JavaScript) it falls back to
 * a full page load.
 */
export interface NavigateOptions {
  replace?: boolean;
  /** Scroll to the top after a push or replace (default true, as in Next.js). */
  scroll?: boolean;
}

type Navigate = (href: string, options?: NavigateOptions) => Promise<void>;
/** `"auto"`: a `<Link>` without `prefetch={true}`; `"full"`: `prefetch={true}` and router.prefetch(). */
export type PrefetchKind = "auto" | "full";
type Prefetch = (href: string, kind: PrefetchKind) => void;

interface RouterState {
  navigate?: Navigate;
  refresh?: () => Promise<void>;
  /** Registered by production builds only: `next dev` does not prefetch either. */
  prefetch?: Prefetch;
  navigated: boolean;
}

// Under a global symbol: next/link and useRouter may reach this module through another path than
// the browser entry (a dependency pre-bundled by Vite in dev), and both copies must see one router.
const KEY = Symbol.for("tandem.client-router");
function state(): RouterState {
  return ((globalThis as Record<symbol, unknown>)[KEY] ??= { navigated: false }) as RouterState;
}

export function setClientRouter(router: { navigate: Navigate; refresh: () => Promise<void>; prefetch?: Prefetch }): void {
  state().navigate = router.navigate;
  state().refresh = router.refresh;
  if (router.prefetch !== undefined) state().prefetch = router.prefetch;
}

/** True once the page changed without a document load (so a reload shows a different URL's page). */
export function hasNavigated(): boolean {
  return state().navigated;
}

export function markNavigated(): void {
  state().navigated = true;
}

export function navigate(href: string, options?: NavigateOptions): Promise<void> {
  const impl = state().navigate;
  if (impl !== undefined) return impl(href, options);
  if (options?.replace === true) window.location.replace(href);
  else window.location.assign(href);
  return Promise.resolve();
}

/** Fetches a page's RSC payload ahead of a navigation (a no-op in dev and before hydration). */
export function prefetch(href: string, kind: PrefetchKind): void {
  state().prefetch?.(href, kind);
}

/** Re-renders the current page's Server Components (Next.js router.refresh()). */
export function refresh(): Promise<void> {
  const impl = state().refresh;
  if (impl !== undefined) return impl();
  window.location.reload();
  return Promise.resolve();
}

// What a <Link> (next/link) said about a click: the browser entry's click listener runs first
// (so that clicks React holds back while it hydrates still navigate on the client) and navigates
// in the next task, after React's handlers, following what the Link wrote on the event.
const CLICK_KEY = Symbol.for("tandem.link.click");

export interface LinkClick {
  /** The Link's onClick called preventDefault(), or its onNavigate cancelled. */
  cancelled: boolean;
  replace?: boolean;
  scroll?: boolean;
}

export function setLinkClick(event: Event, click: LinkClick): void {
  (event as unknown as Record<symbol, LinkClick>)[CLICK_KEY] = click;
}

export function linkClickOf(event: Event): LinkClick | undefined {
  return (event as unknown as Record<symbol, LinkClick | undefined>)[CLICK_KEY];
}
