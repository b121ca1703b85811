// Conditional requests (RFC 9110 13.1-13.2), as send/serve-static and h3's serveStatic answer them.

/** The entity-tags of an If-None-Match or If-Match value; "*" stays "*". */
function tagsOf(header: string): string[] {
  return header.split(",").map((tag) => tag.trim());
}

const opaque = (tag: string): string => (tag.startsWith("W/") ? tag.slice(2) : tag);

/** If-None-Match: weak comparison against any tag of the list, or "*". */
export function noneMatch(header: string, etag: string): boolean {
  const target = opaque(etag);
  return tagsOf(header).some((tag) => tag === "*" || opaque(tag) === target);
}

/** Whether the file is unchanged since an If-Modified-Since date (HTTP dates have whole seconds). */
export function notModifiedSince(header: string, mtimeMs: number): boolean {
  const since = Date.parse(header);
  return !Number.isNaN(since) && Math.floor(mtimeMs / 1000) * 1000 <= since;
}

/**
 * Whether 304 is the answer: If-None-Match decides when present, If-Modified-Since only without
 * it (RFC 9110 13.2.2), and only for GET and HEAD.
 */
export function isNotModified(request: Request, etag: string, mtimeMs: number): boolean {
  const noneMatchHeader = request.headers.get("if-none-match");
  if (noneMatchHeader !== null) return noneMatch(noneMatchHeader, etag);
  const since = request.headers.get("if-modified-since");
  return since !== null && notModifiedSince(since, mtimeMs);
}

/**
 * If-Range: the range applies only while the representation is the one the client has. A strong
 * ETag must match exactly (a weak one never does); a date must equal Last-Modified.
 */
export function rangeStillValid(header: string | null, etag: string, lastModified: string): boolean {
  if (header === null) return true;
  const value = header.trim();
  if (value.startsWith('"') || value.startsWith("W/")) return !etag.startsWith("W/") && value === etag;
  return value === lastModified;
}
