// next.config's basePath reaches the browser as Vite's `base` (build/vite-config.ts), which Vite
// puts in import.meta.env.BASE_URL in every environment: "/" without one, "/docs/" with one.
// Outside Vite (a test importing this file directly) there is no import.meta.env.
const BASE = (import.meta.env?.BASE_URL ?? "/").replace(/\/$/, "");

/** An app-absolute href ("/about") below basePath, as next/link and useRouter() write it in Next.js. */
export function withBasePath(href: string): string {
  return BASE !== "" && href.startsWith("/") && !href.startsWith("//") ? BASE + href : href;
}
