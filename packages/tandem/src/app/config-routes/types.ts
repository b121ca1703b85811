/**
 * next.config's routing keys as the build stores them in the server entry: plain data, already
 * checked, with `redirects()`, `rewrites()` and `headers()` called once at build time (as
 * `next build` does). Compiled into matchers once when the app starts (rules.ts).
 */
export interface ConfigRouting {
  /** The file it came from ("next.config.mjs"), for messages. */
  file: string;
  /** "" without one; else "/docs" (leading slash, no trailing one). */
  basePath: string;
  trailingSlash: boolean;
  redirects: RedirectRule[];
  headers: HeaderRule[];
  rewrites: { beforeFiles: RewriteRule[]; afterFiles: RewriteRule[]; fallback: RewriteRule[] };
  /** next.config `images`, kept as given for next/image. */
  images?: Record<string, unknown>;
  /** One line per key Tandem does not act on, printed once when the app starts. */
  warnings: string[];
}

export interface RawCondition {
  type: string;
  key?: string;
  value?: string;
}

interface RuleBase {
  /** A path-to-regexp (v6) pattern as Next.js reads it: "/blog/:slug", "/docs/:path*". */
  source: string;
  has?: RawCondition[];
  missing?: RawCondition[];
  /** false: `source` is matched against the full path, basePath included (and not prefixed to `destination`). */
  basePath?: false;
}

export interface RedirectRule extends RuleBase {
  destination: string;
  /** 308 for `permanent: true`, 307 for `false`, or the rule's own `statusCode`. */
  status: number;
}

export interface RewriteRule extends RuleBase {
  destination: string;
}

export interface HeaderRule extends RuleBase {
  headers: Array<{ key: string; value: string }>;
}
