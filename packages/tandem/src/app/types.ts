import type { Params } from "../router/types.js";

export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";

/** Next.js 15+ shape: params arrive as a promise. */
export interface RouteContext<P extends Params = Params> {
  params: Promise<P>;
}

export type RouteHandler<P extends Params = Params> = (request: Request, context: RouteContext<P>) => Response | Promise<Response>;

export type RouteModule = Partial<Record<HttpMethod, RouteHandler>> & Record<string, unknown>;

export interface MiddlewareModule {
  default?: unknown;
  middleware?: unknown;
  proxy?: unknown;
  config?: { matcher?: unknown };
}

/** Module loader: called per request in dev (modules reload), once in production (cached). */
export type Load<T> = () => T | Promise<T>;

export interface ManifestRoute {
  pattern: string;
  route?: Load<RouteModule>;
  /** Filled by the realtime feature: the socket.ts module (default export from defineSocket). */
  socket?: Load<Record<string, unknown>>;
  /** Filled by the pages feature. */
  page?: Load<Record<string, unknown>>;
  /** Opaque data the pages feature attaches (layout chain etc.). */
  pageData?: unknown;
  /** A file served as it is (app/favicon.ico, app/icon.png): left out of the OpenAPI document. */
  asset?: boolean;
}

/** What a build (or the dev server) hands to createApp. */
export interface AppManifest {
  routes: ManifestRoute[];
  middleware?: Load<MiddlewareModule>;
  /** Absolute folder served as static files (public/). */
  publicDir?: string;
  /** Absolute folder of the built client (hashed /assets/* are cached for a year). */
  assetsDir?: string;
}
