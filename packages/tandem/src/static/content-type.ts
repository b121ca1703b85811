import { lookup } from "mrmime";

// mrmime (the mime-db table, trimmed to web types) lacks a few that browsers still ask for.
const EXTRA: Record<string, string> = { ico: "image/x-icon", md: "text/markdown", map: "application/json" };

/**
 * The Content-Type for a file name; text types say UTF-8. An unknown extension is
 * application/octet-stream, which browsers download rather than sniff.
 */
export function contentTypeFor(path: string): string {
  const dot = path.lastIndexOf(".");
  const ext = dot === -1 ? "" : path.slice(dot + 1).toLowerCase();
  const type = EXTRA[ext] ?? lookup(ext);
  if (type === undefined) return "application/octet-stream";
  return type.startsWith("text/") || type === "application/javascript" ? `${type}; charset=utf-8` : type;
}
