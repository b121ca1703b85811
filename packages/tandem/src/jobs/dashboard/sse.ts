import type { JobsContext } from "../context.js";
import type { JobsDriver } from "../types.js";

const POLL_MS = 2000;

/**
 * Live updates: in-process job events are forwarded as they happen; a snapshot of counts and
 * active jobs is sent every 2 s so work done by other processes shows up too.
 */
export function eventStream(
  request: Request,
  driver: JobsDriver,
  jobs: Pick<JobsContext, "onEvent">,
  streams: { open: number; max: number },
): Response {
  if (streams.open >= streams.max) {
    return new Response(JSON.stringify({ error: { message: "Too many live dashboard connections." } }), {
      status: 503,
      headers: { "content-type": "application/json; charset=utf-8", "retry-after": "5" },
    });
  }
  streams.open++;
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const send = (event: string, data: unknown) => {
        if (!closed) controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      };
      const snapshot = async () => {
        try {
          const [counts, active] = await Promise.all([driver.counts(), driver.list({ state: "active", limit: 100 })]);
          send("snapshot", { counts, active });
        } catch (error) {
          send("problem", { message: (error as Error).message });
        }
      };
      const off = jobs.onEvent((event) => send("job", event));
      const timer = setInterval(snapshot, POLL_MS);
      cleanup = () => {
        if (closed) return;
        closed = true;
        off();
        clearInterval(timer);
        streams.open--;
        try {
          controller.close();
        } catch {
          /* already closed by the client */
        }
      };
      request.signal.addEventListener("abort", cleanup, { once: true });
      controller.enqueue(encoder.encode("retry: 3000\n\n"));
      void snapshot();
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(body, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", "x-accel-buffering": "no" },
  });
}
