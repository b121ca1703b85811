/**
 * The browser entry registers how to navigate; client components (boundaries, links, forms)
 * call it. Before hydration (or without JavaScript) it falls back to a full page load.
 */
type Navigate = (href: string, options?: { replace?: boolean }) => Promise<void>;

let navigateImpl: Navigate | undefined;
let refreshImpl: (() => Promise<void>) | undefined;

export function setClientRouter(router: { navigate: Navigate; refresh: () => Promise<void> }): void {
  navigateImpl = router.navigate;
  refreshImpl = router.refresh;
}

let navigated = false;

/** True once the page changed without a document load (so a reload shows a different URL's page). */
export function hasNavigated(): boolean {
  return navigated;
}

export function markNavigated(): void {
  navigated = true;
}

export function navigate(href: string, options?: { replace?: boolean }): Promise<void> {
  if (navigateImpl !== undefined) return navigateImpl(href, options);
  window.location.assign(href);
  return Promise.resolve();
}

/** Re-renders the current page's Server Components (Next.js router.refresh()). */
export function refresh(): Promise<void> {
  if (refreshImpl !== undefined) return refreshImpl();
  window.location.reload();
  return Promise.resolve();
}
