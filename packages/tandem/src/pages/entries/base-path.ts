// next.config's basePath reaches the browser as Vite's `base` (build/vite-config.ts), which Vite
// puts in import.meta.env.BASE_URL in every environment: "/" without one, "/docs/" with one.
// Outside Vite (a test importing this file directly) there is no import.meta.env.
const BASE = (import.meta.env?.BASE_URL ?? "/").replace(/\/$/, "");
// next.config's trailingSlash: true, defined by the build (build/vite-config.ts).
const TRAILING_SLASH = (import.meta.env as Record<string, unknown> | undefined)?.TANDEM_TRAILING_SLASH === true;

/**
 * An app-absolute href ("/about") as next/link and useRouter() write it in Next.js: below
 * basePath, and with a trailing slash under trailingSlash (except a file name, "/a.txt").
 */
export function withBasePath(href: string): string {
  if (!href.startsWith("/") || href.startsWith("//")) return href;
  return BASE + (TRAILING_SLASH ? slashed(href) : href);
}

function slashed(href: string): string {
  const end = href.search(/[?#]/);
  const path = end === -1 ? href : href.slice(0, end);
  if (path.endsWith("/") || /\.\w+$/.test(path.slice(path.lastIndexOf("/") + 1))) return href;
  return `${path}/${end === -1 ? "" : href.slice(end)}`;
}
