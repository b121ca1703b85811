/**
 * Control-flow errors (redirect(), notFound() from app/navigation.ts) cross the RSC stream only
 * as their digest (Next.js's format), so the browser can act on them. This file has no imports:
 * the browser bundle includes it.
 */
export type Control = { kind: "notFound" } | { kind: "denied"; status: 401 | 403 } | { kind: "redirect"; url: string; status: number };

export function controlFromDigest(digest: unknown): Control | undefined {
  if (digest === "NEXT_HTTP_ERROR_FALLBACK;404") return { kind: "notFound" };
  // forbidden() and unauthorized() (next/navigation).
  if (digest === "NEXT_HTTP_ERROR_FALLBACK;403") return { kind: "denied", status: 403 };
  if (digest === "NEXT_HTTP_ERROR_FALLBACK;401") return { kind: "denied", status: 401 };
  if (typeof digest !== "string" || !digest.startsWith("NEXT_REDIRECT;")) return undefined;
  const parts = digest.split(";");
  const status = Number(parts.at(-2));
  const url = parts.slice(2, -2).join(";");
  return url !== "" && Number.isInteger(status) ? { kind: "redirect", url, status } : undefined;
}

export function controlOf(error: unknown): Control | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  return controlFromDigest((error as { digest?: unknown }).digest);
}
