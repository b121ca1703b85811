import { TandemError } from "../errors/tandem-error.js";
import type { QueryValue } from "./types.js";

function missing(pattern: string, name: string): TandemError {
  return new TandemError("TND_ERR_CLIENT_PARAM", `Route ${pattern} needs a non-empty value for param "${name}"`);
}

/** "/api/boards/[id]" + { id: "a b" } -> "/api/boards/a%20b"; catch-alls take arrays. */
export function fillPath(pattern: string, params: Record<string, unknown> = {}): string {
  const out: string[] = [];
  for (const segment of pattern.split("/")) {
    const optional = /^\[\[\.\.\.([^\]]+)\]\]$/.exec(segment);
    const rest = optional ?? /^\[\.\.\.([^\]]+)\]$/.exec(segment);
    if (rest) {
      const name = rest[1]!;
      const value = params[name];
      if (optional && (value === undefined || (Array.isArray(value) && value.length === 0))) continue;
      if (!Array.isArray(value) || value.length === 0 || value.some((part) => typeof part !== "string" || part === "")) {
        throw missing(pattern, name);
      }
      out.push(value.map((part: string) => encodeURIComponent(part)).join("/"));
      continue;
    }
    const one = /^\[([^\]]+)\]$/.exec(segment);
    if (one) {
      const value = params[one[1]!];
      if ((typeof value !== "string" && typeof value !== "number") || value === "") throw missing(pattern, one[1]!);
      out.push(encodeURIComponent(String(value)));
      continue;
    }
    out.push(segment);
  }
  return out.join("/") || "/";
}

/** Arrays become repeated keys (what defineHandler turns back into arrays); undefined/null are left out. */
export function toQueryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return "";
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) search.append(key, String(item));
    else search.append(key, String(value));
  }
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}
