"use client";
import type { AnchorHTMLAttributes, MouseEvent, ReactNode, Ref } from "react";
import { withBasePath } from "./base-path.js";
import { setLinkClick, type LinkClick } from "./client-router.js";

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
  /** Accepted for compatibility; Tandem fetches a page when it is navigated to. */
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
 * load). The browser entry's click listener navigates (see LinkClick); this says whether and how.
 */
export default function Link(props: LinkProps): ReactNode {
  const { href, replace, scroll, prefetch: _prefetch, onNavigate, onClick, children, ...anchor } = props;
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
    <a {...anchor} href={formatHref(href)} onClick={handleClick}>
      {children}
    </a>
  );
}
