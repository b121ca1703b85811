/// <reference types="vite/client" />
import {
  createFromFetch,
  createFromReadableStream,
  createTemporaryReferenceSet,
  encodeReply,
  setServerCallback,
} from "@vitejs/plugin-rsc/browser";
import { startTransition, StrictMode, useEffect, useState, type ReactNode } from "react";
import { hydrateRoot } from "react-dom/client";
import { rscStream } from "rsc-html-stream/client";
import type { RscPayload } from "../types.js";
import { ACTION_HEADER, PREFETCH_HEADER, RSC_HEADER } from "../protocol.js";
import { SegmentBoundary } from "./boundary.js";
import { linkClickOf, markNavigated, setClientRouter, type NavigateOptions, type PrefetchKind } from "./client-router.js";
import { PrefetchCache, STALE_TIMES, toPrefetchKey } from "./prefetch-cache.js";

let showPayload: ((payload: RscPayload) => void) | undefined;
// A page that arrived before hydration finished (a link clicked early): shown once it has.
let waitingPayload: RscPayload | undefined;

function setPayload(payload: RscPayload): void {
  if (showPayload === undefined) waitingPayload = payload;
  else showPayload(payload);
}

function BrowserRoot(props: { initial: RscPayload }): ReactNode {
  const [payload, set] = useState(props.initial);
  useEffect(() => {
    showPayload = (next) => startTransition(() => set(next));
    if (waitingPayload !== undefined) showPayload(waitingPayload);
    waitingPayload = undefined;
  }, []);
  return payload.root;
}

function RootError(props: { error: { message: string } }): ReactNode {
  return <p role="alert">Something went wrong: {props.error.message}</p>;
}

async function fetchPayload(href: string, init: RequestInit, temporaryReferences?: unknown): Promise<RscPayload | undefined> {
  const response = await fetch(href, init);
  if (!(response.headers.get("content-type") ?? "").startsWith("text/x-component")) {
    // Not a page (an API route, a 404 from the router, a JSON error): let the browser load it.
    if (init.method === "POST") throw new Error(await errorMessage(response));
    window.location.assign(response.url || href);
    return undefined;
  }
  const options = temporaryReferences === undefined ? {} : { temporaryReferences };
  const payload = await createFromFetch<RscPayload>(Promise.resolve(response), options as never);
  if (response.redirected && init.method !== "POST") history.replaceState(null, "", response.url);
  return payload;
}

interface Prefetched {
  payload: RscPayload;
  /** Where the request ended after redirects. */
  url: string;
  redirected: boolean;
}

const prefetched = new PrefetchCache<Prefetched>();

function saveData(): boolean {
  return (navigator as Navigator & { connection?: { saveData?: boolean } }).connection?.saveData === true;
}

/**
 * Fetches a page's payload into the cache, unless a fresh entry is there (or under way). Nothing
 * goes wrong loudly: a failed prefetch leaves no entry, and the navigation fetches as without one.
 */
function prefetchPage(href: string, kind: PrefetchKind): void {
  const url = new URL(href, window.location.href);
  if (url.origin !== window.location.origin || saveData()) return;
  const key = toPrefetchKey(url);
  const existing = prefetched.fresh(key, Date.now());
  // An "auto" entry of a dynamic page holds nothing: a full prefetch replaces it.
  if (existing !== undefined && (existing.kind === "full" || kind === "auto")) return;
  const entry = { kind, at: Date.now(), staleAfter: STALE_TIMES.static * 1000, result: Promise.resolve<Prefetched | undefined>(undefined) };
  // Only this entry: a full prefetch may have replaced it meanwhile.
  const drop = (): void => {
    if (prefetched.fresh(key, Date.now()) === entry) prefetched.delete(key);
  };
  entry.result = (async () => {
    const response = await fetch(key, {
      // next-router-prefetch as Next.js sends it: middleware matchers written to skip prefetches
      // (`missing: [{ type: "header", key: "next-router-prefetch" }]`) skip these too.
      headers: { [RSC_HEADER]: "1", [PREFETCH_HEADER]: kind, "next-router-prefetch": "1" },
      priority: "low",
    });
    if (!response.ok || !(response.headers.get("content-type") ?? "").startsWith("text/x-component")) {
      // 204: a dynamic page under "auto", kept empty so that hovering again asks nothing.
      if (response.status !== 204) drop();
      await response.body?.cancel();
      return undefined;
    }
    // A static page, or any page prefetched in full, is kept for staleTimes.static (as in Next.js).
    entry.staleAfter =
      (response.headers.get("x-tandem-static") === "1" || kind === "full" ? STALE_TIMES.static : STALE_TIMES.dynamic) * 1000;
    const payload = await createFromFetch<RscPayload>(Promise.resolve(response));
    return { payload, url: response.url || key, redirected: response.redirected };
  })().catch(() => {
    drop();
    return undefined;
  });
  prefetched.set(key, entry);
}

/** The prefetched payload of `url` while it is fresh, or undefined. */
async function takePrefetched(url: URL): Promise<Prefetched | undefined> {
  const entry = prefetched.fresh(toPrefetchKey(url), Date.now());
  if (entry === undefined) return undefined;
  const result = await entry.result;
  // The stale time counts from the request; a response that took longer than it is not shown.
  return result !== undefined && Date.now() - entry.at < entry.staleAfter ? result : undefined;
}

async function errorMessage(response: Response): Promise<string> {
  const text = await response.text();
  try {
    return (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

// Only the latest navigation shows its page: an earlier one answered later (a slow refresh, a
// second click before the first page arrived) must not replace it.
let latestNavigation = 0;

async function navigate(href: string, options: NavigateOptions & { push?: boolean } = {}): Promise<void> {
  const url = new URL(href, window.location.href);
  if (url.origin !== window.location.origin) {
    window.location.assign(url.href);
    return;
  }
  markNavigated();
  if (options.push !== false) {
    if (options.replace) history.replaceState(null, "", url.href);
    else history.pushState(null, "", url.href);
  }
  const id = ++latestNavigation;
  const ahead = import.meta.env.DEV ? undefined : await takePrefetched(url);
  if (id !== latestNavigation) return;
  if (ahead?.redirected === true) history.replaceState(null, "", ahead.url + url.hash);
  const payload = ahead?.payload ?? (await fetchPayload(url.href, { headers: { [RSC_HEADER]: "1" } }));
  if (payload === undefined || id !== latestNavigation) return;
  setPayload(payload);
  // A new page starts at its top (or its #fragment), as in Next.js; back/forward and refresh stay.
  if (options.push !== false && options.scroll !== false) requestAnimationFrame(() => scrollToTarget(url.hash));
}

function scrollToTarget(hash: string): void {
  const target = hash.length > 1 ? document.getElementById(decodeURIComponent(hash.slice(1))) : null;
  if (target !== null) target.scrollIntoView();
  else window.scrollTo(0, 0);
}

async function refresh(): Promise<void> {
  // As Next.js's router.refresh(): every prefetched page may be out of date now.
  prefetched.clear();
  await navigate(window.location.href, { push: false });
}

// One round trip per call, and no queue: independent actions run in parallel.
setServerCallback(async (id: string, args: unknown[]) => {
  const temporaryReferences = createTemporaryReferenceSet();
  const body = await encodeReply(args, { temporaryReferences });
  // Next.js drops its client cache when an action revalidates or sets cookies; Tandem cannot tell
  // from here whether it did, so any action does, one that failed on the way back too.
  const payload = await fetchPayload(
    window.location.href,
    {
      method: "POST",
      headers: { [ACTION_HEADER]: id, [RSC_HEADER]: "1" },
      body,
    },
    temporaryReferences,
  ).finally(() => prefetched.clear());
  if (payload === undefined) return undefined;
  if (payload.redirect !== undefined) {
    await navigate(payload.redirect);
    return undefined;
  }
  setPayload(payload);
  const result = payload.returnValue;
  if (result !== undefined && !result.ok) throw result.data;
  return result?.data;
});

function onLinkClick(event: MouseEvent): void {
  const link = (event.target as Element | null)?.closest?.("a");
  if (!(link instanceof HTMLAnchorElement) || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  if ((link.target && link.target !== "_self") || link.hasAttribute("download") || link.origin !== location.origin) return;
  if (link.dataset.reload !== undefined) return;
  event.preventDefault();
  // In the next task: a <Link>'s handler (React's listener, after this one) may cancel or say how.
  setTimeout(() => {
    const click = linkClickOf(event);
    if (click?.cancelled === true) return;
    void navigate(link.href, {
      ...(click?.replace === true ? { replace: true } : {}),
      ...(click?.scroll === false ? { scroll: false } : {}),
    });
  }, 0);
}

async function main(): Promise<void> {
  const initial = await createFromReadableStream<RscPayload>(rscStream);
  // As Next.js, only production builds prefetch: in dev every prefetch would render the page.
  setClientRouter(import.meta.env.DEV ? { navigate, refresh } : { navigate, refresh, prefetch: prefetchPage });
  // In the capture phase on window, before React's listeners: while it hydrates, React stops the
  // propagation of a click on a part it has not hydrated yet (without preventing the browser's
  // navigation), and that click must still navigate on the client.
  window.addEventListener("click", onLinkClick, { capture: true });
  window.addEventListener("popstate", () => void navigate(window.location.href, { push: false }));
  hydrateRoot(
    document,
    <StrictMode>
      <SegmentBoundary errorComponent={RootError}>
        <BrowserRoot initial={initial} />
      </SegmentBoundary>
    </StrictMode>,
    initial.formState === undefined ? {} : { formState: initial.formState },
  );
  // Server Component edits re-render in place (client state survives); client edits use Fast Refresh.
  import.meta.hot?.on("rsc:update", () => void refresh());
}

void main();
