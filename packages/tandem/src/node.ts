// The `tandem/node` entry: running a Tandem app (or any fetch handler) on node:http.
export { serve } from "./server/serve.js";
export { fromNodeRequest, type FromNodeRequestOptions } from "./server/request.js";
export type { FetchHandler, RunningServer, ServeOptions, ServerLimits } from "./server/types.js";
export { createRuntime, type Role, type Runtime, type RuntimeOptions } from "./runtime/create-runtime.js";
export type {
  ActionTraceContext,
  JobTraceContext,
  MiddlewareTraceContext,
  RenderTraceContext,
  RequestTraceContext,
  RouteTraceContext,
  SocketTraceContext,
} from "./tracing/channels.js";
