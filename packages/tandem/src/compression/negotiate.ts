/** The content codings Tandem can produce. `zstd` only where node:zlib has it (Node 22.15, 23.8 and newer). */
export type Encoding = "br" | "zstd" | "gzip";

/**
 * The coding to answer with, from the client's Accept-Encoding and the server's order of
 * preference: the highest q-value wins, the server's order breaks ties, `*` stands for every
 * coding the header does not name, and `x-gzip` is `gzip` (RFC 9110 12.5.3). Undefined: send the
 * body as it is (no header, nothing acceptable, or every coding refused with q=0).
 */
export function negotiate(header: string | undefined, order: readonly Encoding[]): Encoding | undefined {
  if (header === undefined || header.length === 0) return undefined;
  let star: number | undefined;
  const named = new Map<string, number>();
  for (const part of header.split(",")) {
    const semi = part.indexOf(";");
    const name = (semi === -1 ? part : part.slice(0, semi)).trim().toLowerCase();
    if (name.length === 0) continue;
    const q = semi === -1 ? 1 : qValue(part.slice(semi + 1));
    if (name === "*") star = q;
    else named.set(name === "x-gzip" ? "gzip" : name, q);
  }
  let best: Encoding | undefined;
  let bestQ = 0;
  for (const encoding of order) {
    const q = named.get(encoding) ?? star ?? 0;
    if (q > bestQ) {
      best = encoding;
      bestQ = q;
    }
  }
  return best;
}

/** The q of `;q=0.5` parameters; a malformed or out-of-range q counts as 0 (not acceptable), never as 1. */
function qValue(params: string): number {
  for (const param of params.split(";")) {
    const eq = param.indexOf("=");
    if (eq === -1 || param.slice(0, eq).trim().toLowerCase() !== "q") continue;
    const text = param.slice(eq + 1).trim();
    if (!/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(text)) return 0;
    return Number(text);
  }
  return 1;
}
