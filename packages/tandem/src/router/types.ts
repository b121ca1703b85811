/** Values of dynamic segments: `[id]` -> string, `[...slug]` and `[[...slug]]` -> string[]. */
export type Params = Record<string, string | string[]>;

export interface Match<T> {
  value: T;
  /** Percent-decoded values. An optional catch-all that matched nothing is absent. */
  params: Params;
}

/**
 * The router is two methods, so implementations can be swapped and all of them run
 * the one shared case table (test/router/cases.ts).
 * `pattern` is the file-system form: "/", "/api/boards/[id]", "/docs/[...slug]", "/[[...slug]]".
 */
export interface Router<T> {
  add(pattern: string, value: T): void;
  /** `pathname` is raw (still percent-encoded, no query). Returns null when nothing matches. */
  match(pathname: string): Match<T> | null;
}

export interface SegmentFiles {
  /** Absolute folder path of this segment. */
  dir: string;
  layout?: string;
  loading?: string;
  error?: string;
  notFound?: string;
  template?: string;
}

/** One URL pattern found under app/, with every file that serves it. */
export interface ScannedRoute {
  /** URL pattern with groups removed, e.g. "/api/boards/[id]/cards". */
  pattern: string;
  /** Absolute paths. `route` and `page` never both exist (a scan error). */
  route?: string;
  page?: string;
  socket?: string;
  /** Segment folders from app/ down to this route's folder, outermost first (for layouts etc.). */
  segments: SegmentFiles[];
}

export interface ScannedApp {
  /** Absolute path of the project root (the folder holding app/). */
  root: string;
  appDir: string;
  routes: ScannedRoute[];
  /** middleware.ts|js or proxy.ts|js beside app/ (or in src/ when app/ is src/app). */
  middleware?: string;
  /** Metadata route files at the app root: app/sitemap.ts, app/robots.ts. */
  sitemap?: string;
  robots?: string;
  /** app/favicon.ico, app/icon.(ico|jpg|jpeg|png|svg), app/apple-icon.(jpg|jpeg|png). */
  icons?: ScannedIcons;
}

export interface ScannedIcons {
  favicon?: string;
  icon?: string;
  appleIcon?: string;
  openGraphImage?: string;
  twitterImage?: string;
}

/** Options every Router implementation accepts. */
export interface RouterOptions<T> {
  /**
   * Longest decoded parameter value (each element, for catch-alls). A longer value does not match
   * a dynamic segment, so the request falls through to 404. Default 100, as in Fastify.
   */
  maxParamLength?: number;
  /** Names an entry in conflict messages (the scanner passes the file path). Default: the pattern. */
  describe?: (value: T, pattern: string) => string;
}
