/** A satisfiable byte range, both ends included. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * One `Range: bytes=...` value against a body of `size` bytes (RFC 9110 14.1.2):
 * - a ByteRange for a single satisfiable range (`a-b`, `a-`, `-n`; an end past the body is cut);
 * - "unsatisfiable" when no range lies in the body (416);
 * - undefined to ignore the header and send the whole body: another unit, bad syntax, or several
 *   ranges (a multipart answer costs more than the whole file for the files served here, and
 *   send/serve-static answer the same way).
 */
export function parseRange(header: string, size: number): ByteRange | "unsatisfiable" | undefined {
  const eq = header.indexOf("=");
  if (eq === -1 || header.slice(0, eq).trim().toLowerCase() !== "bytes") return undefined;
  const spec = header.slice(eq + 1).trim();
  if (spec.includes(",")) return undefined;
  const match = /^(\d*)-(\d*)$/.exec(spec);
  if (match === null || (match[1] === "" && match[2] === "")) return undefined;
  const [, first, last] = match as unknown as [string, string, string];
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== "" && Number(last) < start) return undefined;
  if (start >= size) return "unsatisfiable";
  return { start, end };
}
