"use client";
import {
  useCallback,
  useEffect,
  useRef,
  type AnchorHTMLAttributes,
  type MouseEvent,
  type ReactNode,
  type Ref,
  type TouchEvent,
} from "react";
import { withBasePath } from "./base-path.js";
import { prefetch as prefetchPage, setLinkClick, type LinkClick, type PrefetchKind } from "./client-router.js";

/** next/link's object form of `href` (Node's UrlObject, the parts Next.js reads). */
export interface UrlObject {
  pathname?: string | null;
  query?: string | null | Record<string, string | number | boolean | ReadonlyArray<string | number | boolean> | null | undefined>;
  search?: string | null;
  hash?: string | null;
}

export interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href"> {
  href: string | UrlObject;
  /** Replace the current history entry instead of adding one. */
  replace?: boolean;
  /** Scroll to the top of the new page (default true). */
  scroll?: boolean;
  /**
   * In production builds, when the link enters the viewport or is hovered or touched: `null`,
   * `"auto"` or absent fetch a static page's payload ahead (a dynamic page's waits for the click),
   * `true` any page's, `false` none.
   */
  prefetch?: boolean | "auto" | null;
  /** Called before a client navigation; `event.preventDefault()` cancels it (Next.js 15.3). */
  onNavigate?: (event: { preventDefault(): void }) => void;
  ref?: Ref<HTMLAnchorElement> | undefined;
  children?: ReactNode;
}

function formatHref(href: string | UrlObject): string {
  if (typeof href === "string") return withBasePath(href);
  let search = href.search ?? "";
  if (search === "" && href.query != null) {
    const params = new URLSearchParams();
    if (typeof href.query === "string") for (const [key, value] of new URLSearchParams(href.query)) params.append(key, value);
    else {
      for (const [key, value] of Object.entries(href.query)) {
        if (value == null) continue;
        for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
      }
    }
    const text = params.toString();
    search = text === "" ? "" : `?${text}`;
  } else if (search !== "" && !search.startsWith("?")) search = `?${search}`;
  const hash = href.hash == null || href.hash === "" ? "" : href.hash.startsWith("#") ? href.hash : `#${href.hash}`;
  return withBasePath(`${href.pathname ?? ""}${search}${hash}`);
}

/**
 * next/link: an `<a>` whose clicks navigate on the client (the page's RSC payload, no document
 * load). The browser entry's click listener navigates (see LinkClick); this says whether and how,
 * and prefetches the page (client-router's prefetch, which only production builds register).
 */
export default function Link(props: LinkProps): ReactNode {
  const { href, replace, scroll, prefetch, onNavigate, onClick, onMouseEnter, onTouchStart, ref, children, ...anchor } = props;
  const target = formatHref(href);
  const kind: PrefetchKind | undefined = prefetch === false ? undefined : prefetch === true ? "full" : "auto";
  const anchorRef = useRef<HTMLAnchorElement | null>(null);
  const setRef = useCallback(
    (element: HTMLAnchorElement | null) => {
      anchorRef.current = element;
      if (typeof ref === "function") return ref(element);
      if (ref != null) ref.current = element;
      return undefined;
    },
    [ref],
  );
  useEffect(() => {
    const element = anchorRef.current;
    if (kind === undefined || element === null || typeof IntersectionObserver === "undefined") return undefined;
    // 200px ahead of the viewport, as Next.js, so that a link scrolled to is ready when seen.
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) prefetchPage(target, kind);
      },
      { rootMargin: "200px" },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [target, kind]);
  const handleMouseEnter = (event: MouseEvent<HTMLAnchorElement>): void => {
    if (kind !== undefined) prefetchPage(event.currentTarget.href, kind);
    onMouseEnter?.(event);
  };
  const handleTouchStart = (event: TouchEvent<HTMLAnchorElement>): void => {
    if (kind !== undefined) prefetchPage(event.currentTarget.href, kind);
    onTouchStart?.(event);
  };
  const handleClick = (event: MouseEvent<HTMLAnchorElement>): void => {
    const click: LinkClick = { cancelled: false };
    if (replace === true) click.replace = true;
    if (scroll === false) click.scroll = false;
    setLinkClick(event.nativeEvent, click);
    if (onClick !== undefined) {
      // The listener already called preventDefault() on the native event: record the app's call.
      const prevent = event.preventDefault.bind(event);
      event.preventDefault = () => {
        click.cancelled = true;
        prevent();
      };
      onClick(event);
    }
    if (!click.cancelled) onNavigate?.({ preventDefault: () => void (click.cancelled = true) });
  };
  return (
    <a {...anchor} ref={setRef} href={target} onClick={handleClick} onMouseEnter={handleMouseEnter} onTouchStart={handleTouchStart}>
      {children}
    </a>
  );
}
