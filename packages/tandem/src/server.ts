// `tandem/server`: what route handlers, middleware and (later) Server Components import.
export { HttpError, TandemError } from "./errors/http-error.js";
export type { ErrorCode } from "./errors/registry.js";
export { next, rewrite, json } from "./app/middleware/helpers.js";
export { redirect, permanentRedirect, notFound } from "./app/navigation.js";
export { defineConfig, type TandemConfig } from "./config.js";
export type { RouteContext, RouteHandler, HttpMethod } from "./app/types.js";
export type { Params } from "./router/types.js";
