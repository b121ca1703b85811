import { TandemError } from "../errors/http-error.js";

/** One segment of a file-system pattern such as "/docs/[id]/[...rest]". */
export type Segment = { kind: "static"; value: string } | { kind: "dynamic" | "catchAll" | "optionalCatchAll"; name: string };

export type SegmentKind = Segment["kind"];

/** Matching precedence, lowest first: decided per segment, so a list of ranks orders two patterns. */
export const RANK: Readonly<Record<SegmentKind, number>> = { static: 0, dynamic: 1, catchAll: 2, optionalCatchAll: 3 };

/** Letters, digits, `_`, `$` and `-`: names become object keys and generated type names. */
const PARAM_NAME = /^[\p{L}\p{N}_$-]+$/u;

function invalid(where: string, text: string, why: string): TandemError {
  return new TandemError("TND_ERR_ROUTE_PATTERN_INVALID", `Invalid segment "${text}" in ${where}: ${why}.`);
}

function paramName(where: string, text: string, name: string): string {
  if (name === "") throw invalid(where, text, "the parameter name is empty");
  if (name.startsWith(".")) throw invalid(where, text, "parameter names may not start with a period (did you mean [...name]?)");
  if (!PARAM_NAME.test(name)) throw invalid(where, text, "parameter names may only use letters, digits, _, $ and -");
  // The name becomes a key of the params object; this one would replace its prototype instead.
  if (name === "__proto__") throw invalid(where, text, "__proto__ is not allowed as a parameter name");
  return name;
}

/**
 * Parses one folder name (groups and private folders already removed by the scanner).
 * `where` names the file or pattern for the error message.
 */
export function parseSegment(text: string, where: string): Segment {
  if (text === "") throw invalid(where, text, "empty segments are not allowed");
  if (text === "." || text === "..") throw invalid(where, text, "dot segments are not allowed");
  if (!text.includes("[") && !text.includes("]")) {
    if (text.startsWith("(") && text.endsWith(")")) {
      throw invalid(where, text, "route groups do not appear in URL patterns; remove the segment");
    }
    return { kind: "static", value: text };
  }
  let m = /^\[\[\.\.\.(.*)\]\]$/s.exec(text);
  if (m) return { kind: "optionalCatchAll", name: paramName(where, text, m[1]!) };
  if (/^\[\[.*\]\]$/s.test(text)) {
    throw invalid(where, text, "optional segments are only supported as catch-alls: use [[...name]]");
  }
  m = /^\[\.\.\.([^[\]]*)\]$/s.exec(text);
  if (m) return { kind: "catchAll", name: paramName(where, text, m[1]!) };
  m = /^\[([^[\]]*)\]$/s.exec(text);
  if (m) return { kind: "dynamic", name: paramName(where, text, m[1]!) };
  throw invalid(where, text, "brackets must enclose the whole segment: [name], [...name] or [[...name]]");
}

/**
 * Parses and checks a whole pattern: "/" is the root, catch-alls come last, names are unique.
 * `where` defaults to the pattern itself.
 */
export function parsePattern(pattern: string, where = `pattern "${pattern}"`): Segment[] {
  if (!pattern.startsWith("/")) {
    throw new TandemError("TND_ERR_ROUTE_PATTERN_INVALID", `Invalid ${where}: patterns start with "/".`);
  }
  if (pattern === "/") return [];
  const texts = pattern.slice(1).split("/");
  const segments = texts.map((text) => parseSegment(text, where));
  const seen = new Set<string>();
  segments.forEach((segment, i) => {
    if (segment.kind === "static") return;
    if (segment.kind !== "dynamic" && i !== segments.length - 1) {
      const what = segment.kind === "catchAll" ? "a catch-all" : "an optional catch-all";
      throw invalid(where, texts[i]!, `${what} must be the last segment of the URL`);
    }
    if (seen.has(segment.name)) {
      throw invalid(where, texts[i]!, `the parameter name "${segment.name}" is used twice in one URL`);
    }
    seen.add(segment.name);
  });
  return segments;
}

/** The segment as written in a pattern, for messages and tables. */
export function formatSegment(segment: Segment): string {
  switch (segment.kind) {
    case "static":
      return segment.value;
    case "dynamic":
      return `[${segment.name}]`;
    case "catchAll":
      return `[...${segment.name}]`;
    case "optionalCatchAll":
      return `[[...${segment.name}]]`;
  }
}

/**
 * Orders patterns the way the matcher prefers them: per segment, static before dynamic before
 * catch-all before optional catch-all, then alphabetically; a parent comes before its children.
 */
export function comparePatterns(a: readonly Segment[], b: readonly Segment[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const byRank = RANK[x.kind] - RANK[y.kind];
    if (byRank !== 0) return byRank;
    const byText = formatSegment(x) < formatSegment(y) ? -1 : formatSegment(x) > formatSegment(y) ? 1 : 0;
    if (byText !== 0) return byText;
  }
  return a.length - b.length;
}
