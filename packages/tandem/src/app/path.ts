import { HttpError } from "../errors/http-error.js";

/**
 * Pathname and search of an absolute request URL without building a URL object:
 * this runs on every request and `new URL()` costs more than the rest of routing.
 */
export function splitUrl(url: string): { pathname: string; search: string } {
  const schemeEnd = url.indexOf("://");
  const pathStart = schemeEnd === -1 ? 0 : url.indexOf("/", schemeEnd + 3);
  if (pathStart === -1) return { pathname: "/", search: "" };
  const q = url.indexOf("?", pathStart);
  const hash = url.indexOf("#", pathStart);
  const end = q === -1 ? (hash === -1 ? url.length : hash) : q;
  const searchEnd = hash === -1 || hash < q ? url.length : hash;
  return { pathname: url.slice(pathStart, end), search: q === -1 ? "" : url.slice(q, searchEnd) };
}

/** Pathname and search of a path-and-query string ("/a/b?x=1"), as taken from a server request. */
export function splitPath(path: string): { pathname: string; search: string } {
  const q = path.indexOf("?");
  return q === -1 ? { pathname: path, search: "" } : { pathname: path.slice(0, q), search: path.slice(q) };
}

/** Rejects what no route may ever see: NUL and backslashes (Windows-style traversal), encoded or not. */
export function checkPath(pathname: string): void {
  if (pathname.charCodeAt(0) !== 47 /* / */) {
    throw new HttpError("TND_ERR_BAD_PATH", "The request path must start with '/'.");
  }
  if (pathname.includes("%00") || pathname.includes("\0")) {
    throw new HttpError("TND_ERR_BAD_PATH", "The request path contains a NUL byte.");
  }
}

/** Next.js default (trailingSlash: false): "/about/" redirects to "/about" with 308. */
export function trailingSlashRedirect(pathname: string, search: string): Response | undefined {
  if (pathname.length < 2 || pathname.charCodeAt(pathname.length - 1) !== 47) return undefined;
  let end = pathname.length;
  while (end > 1 && pathname.charCodeAt(end - 1) === 47) end--;
  const target = pathname.slice(0, end);
  // "//evil.com/" would become a protocol-relative redirect to another host.
  if (target.startsWith("//")) return undefined;
  return new Response(null, { status: 308, headers: { location: target + search } });
}
