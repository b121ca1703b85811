import { compile, match, parse } from "path-to-regexp";
import { TandemError } from "../../errors/tandem-error.js";
import { compileConditions, RequestView, showValue, type Condition } from "../middleware/conditions.js";
import type { ConfigRouting, RawCondition, RedirectRule, RewriteRule } from "./types.js";

type Params = Partial<Record<string, string | string[]>>;

/** Where a rewrite or redirect sends the request: a path of this app, or another origin (`origin` set). */
export interface Destination {
  origin: string | undefined;
  pathname: string;
  /** "" or "?a=1": the request's query with the destination's own merged over it. */
  search: string;
  hash: string;
}

/** The two forms of the request path a rule may be matched against (see `basePath: false`). */
export interface RulePaths {
  /** The path as requested, basePath included. */
  full: string;
  /** The path below basePath; undefined when the request is outside it. */
  inner: string | undefined;
}

interface CompiledRule {
  outside: boolean;
  /** Whether a `has` entry captures values for `destination` (a named group, or a key without value). */
  captures: boolean;
  matchPath: (path: string) => Params | undefined;
  has: Condition[];
  missing: Condition[];
}

interface CompiledTarget extends CompiledRule {
  external: boolean;
  destination: (params: Params) => { origin: string | undefined; pathname: string; query: string; hash: string };
  /** Rewrites whose destination uses none of the source's params pass them on in the query (Next.js). */
  paramsToQuery: boolean;
}

export interface CompiledRewrite {
  /** The destination when the rule matches this request, else undefined. */
  apply(request: Request, paths: RulePaths): Destination | undefined;
}

/** next.config's routing, compiled once: each method answers for one request. */
export interface CompiledRouting {
  basePath: string;
  trailingSlash: boolean;
  /** The first matching redirect's response (Location relative, basePath added as Next.js does). */
  redirect(request: Request, paths: RulePaths): Response | undefined;
  /** The headers of every matching rule, in order (a later rule's value wins). */
  headers(request: Request, paths: RulePaths): Array<[string, string]> | undefined;
  beforeFiles: CompiledRewrite[];
  afterFiles: CompiledRewrite[];
  fallback: CompiledRewrite[];
}

const fail = (file: string) => (message: string, cause?: unknown) =>
  new TandemError("TND_ERR_NEXT_CONFIG", `${file}: ${message}`, cause === undefined ? undefined : { cause });

/** Compiles the stored routing; every pattern error names the file, the key and the entry. */
export function compileRouting(routing: ConfigRouting): CompiledRouting {
  const invalid = fail(routing.file);
  const redirects = routing.redirects.map((rule, i) => ({
    rule: compileTarget(rule, `redirects[${i}]`, invalid, false),
    status: rule.status,
    basePath: rule.basePath === false ? "" : routing.basePath,
  }));
  const headerRules = routing.headers.map((rule, i) => ({
    rule: compileRule(rule, `headers[${i}]`, invalid),
    headers: rule.headers.map(({ key, value }) => ({ key, value: compileText(value) })),
  }));
  const rewrites = (list: RewriteRule[], where: string): CompiledRewrite[] =>
    list.map((rule, i) => {
      const target = compileTarget(rule, `rewrites.${where}[${i}]`, invalid, true);
      return {
        apply(request, paths) {
          const params = test(target, request, paths);
          return params === undefined ? undefined : destinationOf(target, params, request);
        },
      };
    });
  return {
    basePath: routing.basePath,
    trailingSlash: routing.trailingSlash,
    redirect(request, paths) {
      for (const { rule, status, basePath } of redirects) {
        const params = test(rule, request, paths);
        if (params === undefined) continue;
        const to = destinationOf(rule, params, request);
        const location =
          to.origin === undefined ? basePath + to.pathname + to.search + to.hash : to.origin + to.pathname + to.search + to.hash;
        // As Next.js answers: the destination as the body (no content-type), and for 308 a Refresh
        // header, for the clients of before RFC 7538 that do not follow that status.
        const headers: Record<string, string> = status === 308 ? { location, refresh: `0;url=${location}` } : { location };
        return new Response(new TextEncoder().encode(location), { status, headers });
      }
      return undefined;
    },
    headers(request, paths) {
      let out: Array<[string, string]> | undefined;
      for (const { rule, headers } of headerRules) {
        const params = test(rule, request, paths);
        if (params === undefined) continue;
        out ??= [];
        for (const { key, value } of headers) out.push([key, value(params)]);
      }
      return out;
    },
    beforeFiles: rewrites(routing.rewrites.beforeFiles, "beforeFiles"),
    afterFiles: rewrites(routing.rewrites.afterFiles, "afterFiles"),
    fallback: rewrites(routing.rewrites.fallback, "fallback"),
  };
}

function test(rule: CompiledRule, request: Request, paths: RulePaths): Params | undefined {
  const path = rule.outside ? paths.full : paths.inner;
  if (path === undefined) return undefined;
  const params = rule.matchPath(path);
  if (params === undefined) return undefined;
  if (rule.has.length === 0 && rule.missing.length === 0) return params;
  const view = new RequestView(request);
  if (!rule.has.every((c) => view.test(c)) || rule.missing.some((c) => view.test(c))) return undefined;
  return rule.captures ? { ...hasCaptures(rule.has, view), ...params } : params;
}

/**
 * Next.js's `has` params: a value's named groups (`value: "(?<plan>pro|team)"`), or the key itself
 * when the entry has no value (`{ type: "query", key: "ref" }` gives `:ref`).
 */
function hasCaptures(has: readonly Condition[], view: RequestView): Params {
  const out: Params = {};
  for (const condition of has) {
    const value = view.read(condition);
    if (value === undefined) continue;
    if (condition.value === undefined) {
      if (condition.key !== undefined && IDENTIFIER.test(condition.key)) out[condition.key] = value;
      continue;
    }
    const groups = condition.value.exec(value)?.groups;
    if (groups !== undefined) for (const [name, group] of Object.entries(groups)) if (group !== undefined) out[name] = group;
  }
  return out;
}

const IDENTIFIER = /^[A-Za-z_]\w*$/;

/** The names a rule's `has` entries capture (see hasCaptures). */
function captureNames(has: RawCondition[] | undefined): string[] {
  const names: string[] = [];
  for (const item of has ?? []) {
    if (typeof item.value === "string") for (const m of item.value.matchAll(/\(\?<([A-Za-z_]\w*)>/g)) names.push(m[1]!);
    else if (typeof item.key === "string" && item.type !== "host" && IDENTIFIER.test(item.key)) names.push(item.key);
  }
  return names;
}

function compileRule(
  rule: { source: string; has?: RawCondition[]; missing?: RawCondition[]; basePath?: false },
  where: string,
  invalid: ReturnType<typeof fail>,
): CompiledRule & { keys: string[] } {
  const { source } = rule;
  if (typeof source !== "string" || !source.startsWith("/"))
    throw invalid(`${where}.source must be a path starting with "/", got ${showValue(source)}`);
  let matchPath: (path: string) => Params | undefined;
  let keys: string[];
  try {
    keys = parse(source).flatMap((token) => (typeof token === "object" && typeof token.name === "string" ? [token.name] : []));
    // Next.js's options for custom routes: case-insensitive, and the raw (still encoded) values.
    const fn = match<Params>(source, { decode: (value) => value, sensitive: false, strict: false });
    matchPath = (path) => {
      const found = fn(path);
      return found === false ? undefined : found.params;
    };
  } catch (error) {
    throw invalid(
      `${where}.source ${JSON.stringify(source)} is not a valid path pattern: ${error instanceof Error ? error.message : String(error)}`,
      error,
    );
  }
  const has = compileConditions(rule.has, `${where}.has`, invalid);
  const captured = captureNames(rule.has);
  return {
    outside: rule.basePath === false,
    captures: captured.length > 0,
    matchPath,
    keys: [...keys, ...captured],
    has,
    missing: compileConditions(rule.missing, `${where}.missing`, invalid),
  };
}

const ABSOLUTE = /^(https?:\/\/[^/?#]+)(.*)$/i;
/**
 * A redirect may send the browser to any scheme, as Next.js allows (`itms-apps://...`, `mailto:`):
 * the scheme and its authority, if any, are kept as they are; what follows takes the params.
 */
const OTHER_SCHEME = /^([a-z][a-z\d+.-]*:(?:\/\/[^/?#]*)?)(.*)$/i;
/** Schemes that run code or inline content where a page would be: Next.js sends them on, Tandem refuses them. */
const UNSAFE_SCHEME = /^(?:javascript|vbscript|data):/i;
const PARAM_REF = /:([A-Za-z_]\w*)[*+?]?/g;

function compileTarget(
  rule: RedirectRule | RewriteRule,
  where: string,
  invalid: ReturnType<typeof fail>,
  rewrite: boolean,
): CompiledTarget {
  const base = compileRule(rule, where, invalid);
  const { destination } = rule;
  if (typeof destination !== "string" || destination === "")
    throw invalid(`${where}.destination must be a non-empty string, got ${showValue(destination)}`);
  const http = ABSOLUTE.exec(destination);
  const absolute = http ?? (rewrite || destination.startsWith("/") ? null : OTHER_SCHEME.exec(destination));
  if (absolute === null && !destination.startsWith("/")) {
    throw invalid(
      rewrite
        ? `${where}.destination ${JSON.stringify(destination)} must be a path starting with "/" or an http(s) URL`
        : `${where}.destination ${JSON.stringify(destination)} must be a path starting with "/" or an absolute URL (scheme:...)`,
    );
  }
  if (!rewrite && UNSAFE_SCHEME.test(destination)) {
    throw invalid(
      `${where}.destination ${JSON.stringify(destination)} uses a ${destination.slice(0, destination.indexOf(":") + 1)} URL, which Tandem does not redirect to (browsers refuse it, and it would run or show content in the app's name)`,
    );
  }
  if (rewrite && rule.basePath === false && absolute === null) {
    throw invalid(`${where} has basePath: false, which Next.js allows only for rewrites to another origin`);
  }
  // An http(s) URL without a path goes to "/"; another scheme's URL keeps what it has ("mailto:a@b").
  const rest = absolute === null ? destination : absolute[2]! || (http === null ? "" : "/");
  const hashAt = rest.indexOf("#");
  const beforeHash = hashAt === -1 ? rest : rest.slice(0, hashAt);
  const queryAt = beforeHash.indexOf("?");
  const pathPart = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  const queryPart = queryAt === -1 ? "" : beforeHash.slice(queryAt + 1);
  const hashPart = hashAt === -1 ? "" : rest.slice(hashAt);
  const used = new Set<string>();
  for (const part of [pathPart, queryPart, hashPart]) for (const m of part.matchAll(PARAM_REF)) used.add(m[1]!);
  // A number after ":" is a port or plain text ("/a:1"), never a param; a name the source does not
  // capture would be left as it is by Next.js's compile: reject it instead of sending ":name" on.
  for (const name of pathPartNames(pathPart)) {
    if (!base.keys.includes(name))
      throw invalid(`${where}.destination uses ":${name}", which neither ${JSON.stringify(rule.source)} nor its has entries capture`);
  }
  let toPath: (params: Params) => string;
  try {
    const fn = compile<Params>(pathPart, { validate: false, encode: (value) => value });
    toPath = (params) => fn(params as object);
  } catch (error) {
    throw invalid(
      `${where}.destination ${JSON.stringify(destination)} is not a valid path pattern: ${error instanceof Error ? error.message : String(error)}`,
      error,
    );
  }
  const query = compileText(queryPart);
  const hash = compileText(hashPart);
  return {
    ...base,
    external: absolute !== null,
    paramsToQuery: rewrite && !base.keys.some((key) => used.has(key)),
    destination: (params) => ({ origin: absolute?.[1], pathname: toPath(params), query: query(params), hash: hash(params) }),
  };
}

function pathPartNames(pathPart: string): string[] {
  try {
    return parse(pathPart).flatMap((token) => (typeof token === "object" && typeof token.name === "string" ? [token.name] : []));
  } catch {
    return [];
  }
}

/** ":name" references in a query, hash or header value, filled from the source's params. */
function compileText(text: string): (params: Params) => string {
  if (!text.includes(":")) return () => text;
  return (params) =>
    text.replace(PARAM_REF, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return Object.hasOwn(params, name) ? "" : whole;
      return Array.isArray(value) ? value.join("/") : value;
    });
}

function destinationOf(rule: CompiledTarget, params: Params, request: Request): Destination {
  const to = rule.destination(params);
  const url = request.url;
  const q = url.indexOf("?");
  const search = new URLSearchParams(q === -1 ? "" : url.slice(q + 1, url.includes("#") ? url.indexOf("#") : undefined));
  if (rule.paramsToQuery) {
    for (const [name, value] of Object.entries(params))
      if (value !== undefined) search.set(name, Array.isArray(value) ? value.join("/") : value);
  }
  if (to.query !== "") {
    const own = new URLSearchParams(to.query);
    for (const name of new Set(own.keys())) {
      search.delete(name);
      for (const value of own.getAll(name)) search.append(name, value);
    }
  }
  const text = search.toString();
  return { origin: to.origin, pathname: to.pathname, search: text === "" ? "" : `?${text}`, hash: to.hash };
}
