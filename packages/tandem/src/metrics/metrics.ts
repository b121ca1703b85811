import type { Mount } from "../app/create-app.js";
import { HttpError } from "../errors/http-error.js";
import { channels, type RequestTraceContext } from "../tracing/channels.js";
import { CONTENT_TYPE, Counter, Histogram, labels, writeGauge } from "./exposition.js";

export const METRICS_PATH = "/_tandem/metrics";

/** OpenTelemetry's advice for http.server.request.duration, in seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

// A client picks the method: anything else is one label value, so it cannot grow the series
// without bound (OpenTelemetry's _OTHER).
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

export interface MetricsOptions {
  /** The runtime's identity in the tracing contexts: requests of other apps in this process are not counted. */
  identity: object;
  /** Open WebSocket connections; undefined when the app has no sockets. */
  sockets?: () => number;
  /** Jobs by name and state; undefined when the app has no jobs. */
  jobCounts?: () => Promise<Record<string, Record<string, number>>>;
  /** Asked for every scrape; false answers 404, as if the endpoint were off. */
  authorize: (request: Request) => boolean | Promise<boolean>;
}

export interface Metrics {
  mount: Mount;
  close(): void;
}

/**
 * The app's Prometheus metrics at /_tandem/metrics: requests by method, route and status, their
 * duration, open sockets and jobs by state. Requests are heard on the `tandem:request` channel,
 * so counting them costs nothing while metrics are off. The route label is the matched pattern
 * (`/api/cards/[id]`), never the raw path, and empty for paths no route matched (files, 404s).
 */
export function createMetrics(options: MetricsOptions): Metrics {
  const { identity } = options;
  const requests = new Counter("http_server_requests_total", "HTTP requests answered, by method, route pattern and status.");
  const duration = new Histogram(
    "http_server_request_duration_seconds",
    "Time from the app receiving a request to its response (headers), by method, route pattern and status.",
    DURATION_BUCKETS,
  );
  const labelTexts = new Map<string, string>();
  const labelsOf = (method: string, route: string, status: number): string => {
    const key = `${method} ${status} ${route}`;
    let text = labelTexts.get(key);
    if (text === undefined) {
      text = labels({ method, route, status });
      labelTexts.set(key, text);
    }
    return text;
  };
  const started = new WeakMap<object, number>();
  const handlers = {
    start(message: unknown) {
      if ((message as RequestTraceContext).app === identity) started.set(message as object, performance.now());
    },
    asyncEnd(message: unknown) {
      const context = message as RequestTraceContext;
      const since = started.get(context);
      if (since === undefined) return;
      started.delete(context);
      const method = METHODS.has(context.method) ? context.method : "_OTHER";
      const text = labelsOf(method, context.route ?? "", context.result?.status ?? 500);
      requests.inc(text);
      duration.observe(text, (performance.now() - since) / 1000);
    },
  };
  channels.request.subscribe(handlers as never);

  async function render(): Promise<string> {
    const out: string[] = [];
    requests.write(out);
    duration.write(out);
    if (options.sockets !== undefined) {
      writeGauge(out, "tandem_sockets_open", "Open WebSocket connections.", [["", options.sockets()]]);
    }
    if (options.jobCounts !== undefined) {
      const counts = await options.jobCounts();
      const rows: [string, number][] = [];
      for (const [name, byState] of Object.entries(counts)) {
        for (const [state, count] of Object.entries(byState)) rows.push([labels({ name, state }), count]);
      }
      writeGauge(out, "tandem_jobs", "Jobs in the store, by job name and state.", rows);
    }
    return `${out.join("\n")}\n`;
  }

  const handle = async (request: Request): Promise<Response | undefined> => {
    if (new URL(request.url).pathname !== METRICS_PATH) return undefined;
    if (!(await options.authorize(request))) return undefined;
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new HttpError("TND_ERR_METHOD_NOT_ALLOWED", `Method ${request.method} is not allowed on ${METRICS_PATH}.`, {
        headers: { allow: "GET, HEAD" },
      }).toResponse();
    }
    return new Response(await render(), { headers: { "content-type": CONTENT_TYPE, "cache-control": "no-store" } });
  };

  return {
    mount: { prefix: METRICS_PATH, handle },
    close: () => channels.request.unsubscribe(handlers as never),
  };
}
