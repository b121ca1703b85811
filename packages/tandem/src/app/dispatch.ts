import { TandemError } from "../errors/tandem-error.js";
import { HttpError } from "../errors/http-error.js";
import type { Params } from "../router/types.js";
import { HandlerContext, paramsEntryOf, type ParamsHandler } from "./handler-context.js";
import type { HttpMethod, RouteHandler, RouteModule } from "./types.js";

const METHODS: readonly HttpMethod[] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/** A route module's handlers, checked once when the module is first loaded. */
export interface RouteHandlers {
  handlers: Partial<Record<string, RouteHandler>>;
  /** The handlers that take their params as values (defineHandler's), looked up once at load. */
  byParams: Partial<Record<string, ParamsHandler>>;
  allow: string;
  /** Whether the route's pattern has a dynamic segment: a static one's handlers get no params. */
  dynamic: boolean;
}

export function toRouteHandlers(mod: RouteModule, file: string, pattern: string): RouteHandlers {
  const handlers: Partial<Record<string, RouteHandler>> = {};
  const byParams: Partial<Record<string, ParamsHandler>> = {};
  for (const method of METHODS) {
    const value = mod[method];
    if (value === undefined) continue;
    if (typeof value !== "function") {
      throw new TandemError("TND_ERR_INVALID_ROUTE_MODULE", `${file}: export ${method} must be a function, got ${typeof value}`);
    }
    handlers[method] = value as RouteHandler;
    const entry = paramsEntryOf(value);
    if (entry !== undefined) byParams[method] = entry;
  }
  const allowed = new Set(Object.keys(handlers));
  if (allowed.has("GET")) allowed.add("HEAD");
  allowed.add("OPTIONS");
  return { handlers, byParams, allow: METHODS.filter((m) => allowed.has(m)).join(", "), dynamic: pattern.includes("[") };
}

/**
 * Next.js route-handler semantics: HEAD falls back to GET without a body, OPTIONS answers with
 * Allow when not exported, any other missing method is 405 with Allow.
 */
export function dispatch(route: RouteHandlers, request: Request, params: Params): Response | Promise<Response> {
  const method = request.method;
  const byParams = route.byParams[method];
  if (byParams !== undefined) return byParams(request, params);
  const context = new HandlerContext(params, route.dynamic);
  const handler = route.handlers[method];
  if (handler !== undefined) return handler(request, context);
  if (method === "HEAD" && route.handlers.GET !== undefined) return headFromGet(route.handlers.GET, request, context);
  if (method === "OPTIONS") return new Response(null, { status: 204, headers: { allow: route.allow } });
  // Next.js answers 400 to methods outside the set route files can export (PROPFIND, TRACE...).
  if (!(METHODS as readonly string[]).includes(method)) {
    throw new HttpError("TND_ERR_METHOD_UNKNOWN", `Method ${method} is not an HTTP method route handlers serve.`);
  }
  throw new HttpError("TND_ERR_METHOD_NOT_ALLOWED", `Method ${method} is not allowed on this route.`, {
    headers: { allow: route.allow },
  });
}

async function headFromGet(get: RouteHandler, request: Request, context: HandlerContext): Promise<Response> {
  const response = await get(request, context);
  await response.body?.cancel();
  return new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers });
}
