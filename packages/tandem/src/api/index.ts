// Entry for `tandem/openapi`: build, write and serve the OpenAPI document. Node only (reads files).
// defineHandler and reply are exported from `tandem/server`.
export { createOpenApiDocument } from "./openapi.js";
export type { OpenApiDocument, OpenApiInfo, OpenApiRoute } from "./openapi.js";
export { createOpenApiDocumentFromManifest, openApiRoutesFromManifest, writeOpenApiDocument } from "./openapi-routes.js";
export { createOpenApiHandler } from "./openapi-handler.js";
export type { OpenApiHandlerOptions } from "./openapi-handler.js";
export { getHandlerSpec } from "./define-handler.js";
export type { ApiErrorBody, BodyType, HandlerSpec, ValidationIssue } from "./types.js";
