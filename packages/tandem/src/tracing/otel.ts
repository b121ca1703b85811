import { AsyncLocalStorage } from "node:async_hooks";
import type { TracingChannel } from "node:diagnostics_channel";
import type * as Api from "@opentelemetry/api";
import { channels, isControlFlow, type RequestTraceContext } from "./channels.js";

type OTel = typeof Api;

/**
 * A store for `bindStore` whose `run` is OpenTelemetry's `context.with`: the span a channel's
 * `start` made is then the active one for the whole operation, so the spans app code makes
 * (`tracer.startActiveSpan`, a database client's instrumentation) nest under Tandem's. An
 * AsyncLocalStorage subclass because that is what `bindStore` takes; its own storage is unused,
 * the SDK's context manager holds the context.
 */
class ContextStore extends AsyncLocalStorage<Api.Context> {
  readonly #api: OTel;
  constructor(api: OTel) {
    super();
    this.#api = api;
  }
  override run<R>(value: Api.Context, fn: (...args: unknown[]) => R, ...args: unknown[]): R {
    return this.#api.context.with(value, fn, undefined, ...args);
  }
}

interface SpanPlan<C> {
  name(context: C): string;
  kind: Api.SpanKind;
  attributes(context: C): Api.Attributes;
  /** The parent: the active context, or (a request) what its traceparent header says. */
  parent?(context: C, active: Api.Context): Api.Context;
  /** Last words before the span ends: status code, final name. */
  finish?(span: Api.Span, context: C): void;
}

const headerGetter: Api.TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};

/**
 * Spans for Tandem's seven tracing channels through `@opentelemetry/api`, with whatever SDK the
 * app registered in its instrumentation.ts. Span names and attributes follow OpenTelemetry's HTTP
 * semantic conventions; the request span continues an incoming `traceparent` (through the
 * registered propagator). Returns the function that unsubscribes.
 */
export function subscribeOpenTelemetry(api: OTel, tracerName = "tandem"): () => void {
  const tracer = api.trace.getTracer(tracerName);
  const { SpanKind, SpanStatusCode } = api;
  const undo: (() => void)[] = [];

  function bridge<C extends { error?: unknown }>(channel: TracingChannel<object, C>, plan: SpanPlan<C>): void {
    const spans = new WeakMap<object, Api.Span>();
    const store = new ContextStore(api);
    channel.start.bindStore(store as unknown as AsyncLocalStorage<object>, (message) => {
      const context = message as C;
      const active = api.context.active();
      try {
        const parent = plan.parent ? plan.parent(context, active) : active;
        const span = tracer.startSpan(plan.name(context), { kind: plan.kind, attributes: plan.attributes(context) }, parent);
        spans.set(context, span);
        return api.trace.setSpan(parent, span);
      } catch {
        // A failing SDK must not fail the request: the operation runs untraced.
        return active;
      }
    });
    const handlers = {
      error(message: unknown) {
        const context = message as C;
        const span = spans.get(context);
        const error = context.error;
        if (span === undefined || isControlFlow(error)) return;
        if (error instanceof Error) span.recordException(error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      },
      asyncEnd(message: unknown) {
        const context = message as C;
        const span = spans.get(context);
        if (span === undefined) return;
        spans.delete(context);
        plan.finish?.(span, context);
        span.end();
      },
    };
    channel.subscribe(handlers as never);
    undo.push(() => {
      channel.unsubscribe(handlers as never);
      channel.start.unbindStore(store as unknown as AsyncLocalStorage<object>);
    });
  }

  bridge(channels.request, {
    name: (c) => c.method,
    kind: SpanKind.SERVER,
    attributes: (c) => ({
      "http.request.method": c.method,
      "url.path": c.path,
      "url.scheme": c.request.url.startsWith("https:") ? "https" : "http",
    }),
    parent: (c) => api.propagation.extract(api.ROOT_CONTEXT, c.request.headers, headerGetter),
    finish(span, c: RequestTraceContext) {
      if (c.route !== undefined) {
        span.updateName(`${c.method} ${c.route}`);
        span.setAttribute("http.route", c.route);
      }
      const status = c.result?.status;
      if (status !== undefined) {
        span.setAttribute("http.response.status_code", status);
        // Server spans: only 5xx is an error (a 4xx is the client's).
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      }
    },
  });
  bridge(channels.middleware, {
    name: () => "middleware",
    kind: SpanKind.INTERNAL,
    attributes: (c) => ({ "url.path": c.path }),
  });
  bridge(channels.route, {
    name: (c) => `route ${c.route}`,
    kind: SpanKind.INTERNAL,
    attributes: (c) => ({ "http.request.method": c.method, "http.route": c.route }),
    finish(span, c) {
      if (c.result !== undefined) span.setAttribute("http.response.status_code", c.result.status);
    },
  });
  bridge(channels.render, {
    name: (c) => `render ${c.route}`,
    kind: SpanKind.INTERNAL,
    attributes: (c) => ({ "http.route": c.route }),
  });
  bridge(channels.action, {
    name: (c) => `action ${c.actionId ?? "(form)"}`,
    kind: SpanKind.INTERNAL,
    attributes: (c) => (c.actionId === undefined ? {} : { "tandem.action.id": c.actionId }),
  });
  bridge(channels.socket, {
    name: (c) => `socket message ${c.path}`,
    kind: SpanKind.SERVER,
    attributes: (c) => ({
      "url.path": c.path,
      "tandem.socket.peer": c.peer.id,
      "tandem.request.id": c.peer.requestId,
      "messaging.message.body.size": c.size,
    }),
  });
  bridge(channels.job, {
    name: (c) => `job ${c.name}`,
    kind: SpanKind.CONSUMER,
    attributes: (c) => ({
      "tandem.job.name": c.name,
      "tandem.job.id": c.id,
      "tandem.job.attempt": c.attempt,
      ...(c.requestId === undefined ? {} : { "tandem.request.id": c.requestId }),
    }),
  });
  return () => {
    for (const fn of undo) fn();
  };
}
