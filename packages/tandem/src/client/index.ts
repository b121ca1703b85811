// tandem/client: the typed API client. Safe for browsers, Node and React components (no Node imports).
export { createClient } from "./create-client.js";
export type { ApiError, CallInit, Client, ClientOptions, ClientResult, DataOf, Method, PathsFor, RouteClient } from "./types.js";
export type { ApiErrorBody, ValidationIssue } from "../api/types.js";
