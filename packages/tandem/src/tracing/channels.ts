import { tracingChannel, type TracingChannel } from "node:diagnostics_channel";

/**
 * Tandem's tracing channels (Node's `diagnostics_channel`), the one source every observer reads:
 * the OpenTelemetry bridge, the metrics endpoint, an APM agent. Each is a `TracingChannel`, so a
 * subscriber hears `start`, `end`, `asyncStart`, `asyncEnd` and `error` with one context object
 * per operation; the operation is finished at `asyncEnd` (every traced operation is a promise).
 * Nothing is published, and no context object is made, unless a channel has subscribers.
 *
 * Names are process-wide: two copies of Tandem (the app's bundle and the CLI's) publish on the
 * same channels. Contexts carry `app`, one object per runtime, to tell apps in one process apart.
 */

/** `tandem:request`: one HTTP request, from the app's first look at it to its Response (headers, not the body's end). */
export interface RequestTraceContext {
  request: Request;
  method: string;
  /** The path without its query string. */
  path: string;
  /** The matched route pattern (`/api/cards/[id]`), set once the router matched; undefined for mounts, files and 404s. */
  route?: string;
  /** The runtime's identity: the same object for every event of one app (compare with `===`). */
  app: object;
  /** Set by the channel at `asyncEnd`: the response sent (a handler's error is already mapped to its 4xx/5xx). */
  result?: Response;
  error?: unknown;
}

/** `tandem:middleware`: middleware.ts for one request (only when its matcher runs it). */
export interface MiddlewareTraceContext {
  request: Request;
  path: string;
  error?: unknown;
}

/** `tandem:route`: a route.ts handler. */
export interface RouteTraceContext {
  request: Request;
  method: string;
  /** The route pattern, e.g. `/api/cards/[id]`. */
  route: string;
  result?: Response;
  /** The handler's own error (then mapped to a response: 4xx for an HttpError, else 500). */
  error?: unknown;
}

/** `tandem:render`: a page render (document, RSC payload, or the page around a Server Action). */
export interface RenderTraceContext {
  request: Request;
  route: string;
  result?: Response;
  error?: unknown;
}

/** `tandem:action`: a Server Action's function, called from JavaScript or posted by a form. */
export interface ActionTraceContext {
  request: Request;
  /** React's id of the action (`<file hash>#<export>`); undefined for a form posted before hydration. */
  actionId: string | undefined;
  result?: unknown;
  error?: unknown;
}

/** `tandem:socket`: one message on a socket.ts connection, through its `message` handler. */
export interface SocketTraceContext {
  /** The connection's peer (the handler's first argument): `id`, `params`, `request` (the upgrade request), `requestId`. */
  peer: { readonly id: string; readonly requestId: string; readonly request: Request };
  /** The path the socket is connected on. */
  path: string;
  binary: boolean;
  /** Bytes in the message. */
  size: number;
  error?: unknown;
}

/** `tandem:job`: one attempt of a job. */
export interface JobTraceContext {
  name: string;
  id: string;
  /** 1 for the first run. */
  attempt: number;
  /** The id of the request that enqueued the job, when one did. */
  requestId: string | undefined;
  result?: unknown;
  error?: unknown;
}

export interface TandemChannels {
  request: TracingChannel<object, RequestTraceContext>;
  middleware: TracingChannel<object, MiddlewareTraceContext>;
  route: TracingChannel<object, RouteTraceContext>;
  render: TracingChannel<object, RenderTraceContext>;
  action: TracingChannel<object, ActionTraceContext>;
  socket: TracingChannel<object, SocketTraceContext>;
  job: TracingChannel<object, JobTraceContext>;
}

export const CHANNEL_NAMES = ["request", "middleware", "route", "render", "action", "socket", "job"] as const;

/** The seven channels, `tandem:<name>`. */
export const channels: TandemChannels = {
  request: tracingChannel("tandem:request"),
  middleware: tracingChannel("tandem:middleware"),
  route: tracingChannel("tandem:route"),
  render: tracingChannel("tandem:render"),
  action: tracingChannel("tandem:action"),
  socket: tracingChannel("tandem:socket"),
  job: tracingChannel("tandem:job"),
};

/**
 * Runs `fn` as one traced operation of `channel`: what `tracePromise` does, for work that may
 * answer synchronously (a route handler, a socket message). Callers check `hasSubscribers` first,
 * so that untraced work pays nothing.
 */
export function traced<C extends object, R>(
  channel: TracingChannel<object, C & { result?: unknown; error?: unknown }>,
  context: C & { result?: unknown; error?: unknown },
  fn: () => R | PromiseLike<R>,
): Promise<R> {
  return channel.tracePromise(async () => fn(), context) as Promise<R>;
}

/**
 * redirect(), notFound() and HttpErrors below 500 end an operation on purpose: the response says
 * what happened, and the span is no error (Next.js marks its control errors with a `digest`).
 */
export function isControlFlow(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { status, digest } = error as { status?: unknown; digest?: unknown };
  return (typeof status === "number" && status < 500) || (typeof digest === "string" && digest.startsWith("NEXT_"));
}
