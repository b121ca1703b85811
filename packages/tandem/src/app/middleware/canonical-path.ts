// RFC 3986 §2.3: letters, digits and "-._~" mean the same encoded or not ("%61" is "a").
const UNRESERVED = /%(?:[46][1-9A-Fa-f]|[57][0-9Aa]|3[0-9]|2[DEde]|5[Ff]|7[Ee])/g;

/**
 * The path with percent-encoded unreserved characters decoded, so "/%61dmin" reads "/admin" as
 * the router will see it. A check like `pathname.startsWith("/admin")` in middleware would miss
 * the encoded form otherwise. Everything else (%2F, %25, non-ASCII) stays encoded.
 */
export function canonicalPath(pathname: string): string {
  if (!pathname.includes("%")) return pathname;
  return pathname.replace(UNRESERVED, (hex) => String.fromCharCode(parseInt(hex.slice(1), 16)));
}
