import { parse, tokensToRegexp } from "path-to-regexp";
import { compileConditions, invalid, showValue, RequestView, type Condition } from "./conditions.js";

/** Decides per request whether middleware runs. `pathname` is the raw (percent-encoded) request path. */
export type MiddlewareMatcher = (request: Request, pathname: string) => boolean;

interface CompiledSource {
  source: string;
  /** Whether a path matches `source`: the compiled expression, or a prefix check (prefixMatcher). */
  test: (path: string) => boolean;
  has: Condition[];
  missing: Condition[];
}

/** Next.js rejects longer sources ("exceeds max built length of 4096 for route"). */
const MAX_SOURCE_LENGTH = 4096;
const MATCHER_KEYS = new Set(["source", "has", "missing", "locale", "regexp"]);

const always: MiddlewareMatcher = () => true;

/**
 * Compiles the `config` export of middleware.ts/proxy.ts once, at startup; Next.js's
 * `config.matcher` semantics. A bare matcher value (string or array) is accepted too.
 * No matcher: middleware runs on every path. Anything invalid throws TND_ERR_MATCHER_INVALID.
 */
export function compileMatcher(config: unknown): MiddlewareMatcher {
  const matcher = matcherOf(config);
  if (matcher === undefined) return always;
  const items = Array.isArray(matcher) ? matcher : [matcher];
  if (items.length === 0) throw invalid("config.matcher is an empty array, so middleware would never run");
  const compiled = items.map((item, i) => compileItem(item, Array.isArray(matcher) ? `config.matcher[${i}]` : "config.matcher"));
  return (request, pathname) => {
    const decoded = decodedForm(pathname);
    let view: RequestView | undefined;
    for (const entry of compiled) {
      if (!entry.test(pathname) && (decoded === undefined || !entry.test(decoded))) continue;
      if (entry.has.length === 0 && entry.missing.length === 0) return true;
      view ??= new RequestView(request);
      const v = view;
      if (entry.has.every((c) => v.test(c)) && !entry.missing.some((c) => v.test(c))) return true;
    }
    return false;
  };
}

function matcherOf(config: unknown): unknown {
  if (config === undefined || config === null) return undefined;
  if (typeof config === "string" || Array.isArray(config)) return config;
  if (typeof config !== "object") throw invalid(`the config export must be an object, got ${showValue(config)}`);
  // A lone `{ source }` object is a matcher; anything else is the config export itself.
  if ("source" in config) return config;
  return (config as { matcher?: unknown }).matcher;
}

function compileItem(item: unknown, where: string): CompiledSource {
  if (typeof item === "string") return { source: item, test: compileSource(item, where), has: [], missing: [] };
  if (typeof item !== "object" || item === null || Array.isArray(item)) {
    throw invalid(`${where} must be a path string or a { source } object, got ${showValue(item)}`);
  }
  const fields = item as Record<string, unknown>;
  const extra = Object.keys(fields).filter((key) => !MATCHER_KEYS.has(key));
  if (extra.length > 0) throw invalid(`${where} has unknown key(s) ${extra.join(", ")} (allowed: source, has, missing, locale)`);
  if (fields.locale !== undefined && fields.locale !== false) {
    throw invalid(`${where}.locale may only be false, got ${showValue(fields.locale)}`);
  }
  if (typeof fields.source !== "string") throw invalid(`${where}.source is required and must be a string, got ${showValue(fields.source)}`);
  return {
    source: fields.source,
    // `regexp` is what Next.js's build writes into its manifest; Tandem always compiles `source`.
    test: compileSource(fields.source, `${where}.source`),
    has: compileConditions(fields.has, `${where}.has`),
    missing: compileConditions(fields.missing, `${where}.missing`),
  };
}

function compileSource(source: string, where: string): (path: string) => boolean {
  if (!source.startsWith("/")) throw invalid(`${where} ${JSON.stringify(source)} must start with "/"`);
  if (source.length > MAX_SOURCE_LENGTH) throw invalid(`${where} is longer than ${MAX_SOURCE_LENGTH} characters`);
  let regexp: RegExp;
  try {
    // As Next.js does: path-to-regexp 6 defaults (optional trailing slash), but only the regexp
    // source is kept, so matching is case-sensitive like Next.js.
    regexp = new RegExp(forTest(tokensToRegexp(parse(source)).source));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalid(`${where} ${JSON.stringify(source)} is not a valid path pattern: ${reason}`, error);
  }
  return prefixMatcher(source) ?? ((path) => regexp.test(path));
}

// "/static/segments/:name*", the most common matcher shape (everything under a prefix).
const PREFIX_SOURCE = /^((?:\/[A-Za-z0-9\-._~]+)+)\/:[A-Za-z_$][\w$]*\*$/;

/**
 * For "/prefix/:name*", a check that accepts exactly what path-to-regexp's expression does
 * (`^prefix(?:/[^/#?]+)*[/#?]?$`), without running an expression. Undefined for any other shape.
 */
export function prefixMatcher(source: string): ((path: string) => boolean) | undefined {
  const found = PREFIX_SOURCE.exec(source);
  if (found === null) return undefined;
  const prefix = found[1]!;
  return (path) => {
    if (!path.startsWith(prefix)) return false;
    const end = path.length;
    let i = prefix.length;
    // Segments: a slash and at least one character that is none of "/", "#", "?".
    while (i + 1 < end && path.charCodeAt(i) === 47 /* / */ && !delimiter(path.charCodeAt(i + 1))) {
      i += 2;
      while (i < end && !delimiter(path.charCodeAt(i))) i++;
    }
    // Then at most one "/", "#" or "?".
    return i === end || (i + 1 === end && delimiter(path.charCodeAt(i)));
  };
}

function delimiter(c: number): boolean {
  return c === 47 /* / */ || c === 35 /* # */ || c === 63 /* ? */;
}

/**
 * The same language for `test()`, cheaper to run: whether a string matches does not depend on
 * lazy or greedy quantifiers or on which groups capture, and path-to-regexp writes lazy capturing
 * groups for every parameter (a third of the matcher's time on "/mw/users/1"). A source with a
 * backreference needs its captures and is left alone.
 */
export function forTest(source: string): string {
  if (/\\(?:[1-9]|k<)/.test(source)) return source;
  let out = "";
  let inClass = false;
  // Whether the last token was a `+`, `*` or `?` quantifier: a `?` right after one makes it lazy.
  let quantified = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === "\\") {
      out += c + (source[i + 1] ?? "");
      i++;
      quantified = false;
    } else if (inClass) {
      out += c;
      if (c === "]") inClass = false;
    } else if (c === "?" && quantified) {
      quantified = false;
    } else {
      if (c === "[") inClass = true;
      out += c === "(" && source[i + 1] !== "?" ? "(?:" : c;
      quantified = c === "+" || c === "*" || c === "?";
    }
  }
  return out;
}

/**
 * The path decoded the way the router decodes it (each segment on its own), when it differs.
 * Middleware runs if either form matches, so `/%61dmin` cannot slip past a `/admin/:path*`
 * matcher. A decoded `/` is put back as `%2F`, so segments never merge, as in the router.
 */
function decodedForm(pathname: string): string | undefined {
  if (!pathname.includes("%")) return undefined;
  try {
    const segments = pathname.split("/");
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      if (segment.includes("%")) segments[i] = decodeURIComponent(segment).replaceAll("/", "%2F");
    }
    const decoded = segments.join("/");
    return decoded === pathname ? undefined : decoded;
  } catch {
    // Invalid percent-encoding: the router answers 400 before any route runs.
    return undefined;
  }
}
