// `tandem/server`: what route handlers, middleware, Server Components and actions import.
export { HttpError, TandemError } from "./errors/http-error.js";
export type { ErrorCode } from "./errors/registry.js";
export { next, rewrite, type MiddlewareResponseInit } from "./app/middleware/helpers.js";
export { redirect, permanentRedirect, notFound, RedirectType, isRedirectError, isNotFoundError } from "./app/navigation.js";
export { cookies, headers, currentRequest, runWithRequestContext } from "./pages/request-context.js";
export type { PageProps } from "./pages/types.js";
export { defineHandler } from "./api/define-handler.js";
export { reply, type Reply, type ReplyInit } from "./api/reply.js";
export type { HandlerSpec, HandlerArgs, ValidatedHandler, BodyType, ValidationIssue, ApiErrorBody } from "./api/types.js";
export { defineConfig, type TandemConfig } from "./config.js";
export { requestId } from "./pages/request-id.js";
export { defineEnv } from "./env/define-env.js";
export type { Logger, LogLevel } from "./logger/create-logger.js";
export type { RouteContext, RouteHandler, HttpMethod } from "./app/types.js";
export type { Params } from "./router/types.js";
export type { Metadata, Viewport } from "./pages/metadata.js";
