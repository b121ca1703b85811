// Tracing in every mode: the app's instrumentation.ts registers an OpenTelemetry SDK with an
// in-memory exporter, and a route of the app serves what it recorded. Spans for a request (with
// an incoming traceparent), its middleware and route handler, a page render around a Server
// Action, a job the action enqueued, and a socket message; onRequestError hears a handler's error.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";

const project = createProject({
  "instrumentation.ts": `import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";

const state = globalThis as { exporter?: InMemorySpanExporter; errors?: unknown[]; registered?: number };

export function register() {
  state.registered = (state.registered ?? 0) + 1;
  state.exporter = new InMemorySpanExporter();
  new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(state.exporter)] }).register();
}

export function onRequestError(error: Error, request: { path: string; method: string }, context: { routeType: string; routePath: string }) {
  (state.errors ??= []).push({ message: error.message, path: request.path, method: request.method, ...context });
}
`,
  "app/api/spans/route.ts": `import type { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";

const state = globalThis as { exporter?: InMemorySpanExporter; errors?: unknown[]; registered?: number };

export function GET() {
  const spans = (state.exporter?.getFinishedSpans() ?? []).map((span) => ({
    name: span.name,
    kind: span.kind,
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    parentId: span.parentSpanContext?.spanId,
    attributes: span.attributes,
    status: span.status.code,
    events: span.events.map((event) => event.name),
  }));
  return Response.json({ registered: state.registered, spans, errors: state.errors ?? [] });
}
`,
  "app/api/items/[id]/route.ts": `import { trace } from "@opentelemetry/api";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // The app's own span: it must nest under Tandem's route span.
  return trace.getTracer("app").startActiveSpan("load item", async (span) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    span.end();
    return Response.json({ id });
  });
}
`,
  "app/api/fail/route.ts": `export function GET() {
  throw new Error("kaboom");
}
`,
  "middleware.ts": `import { NextResponse } from "tandem/next-server";

export function middleware() {
  return NextResponse.next();
}

export const config = { matcher: ["/api/items/:path*"] };
`,
  "app/layout.tsx": `import type { ReactNode } from "react";

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
`,
  "app/form/actions.ts": `"use server";
import notify from "../../jobs/notify";

export async function ping(text: string): Promise<string> {
  await notify.enqueue({ text });
  return \`pong \${text}\`;
}
`,
  "app/form/page.tsx": `import { ping } from "./actions";

export default function FormPage() {
  return (
    <form action={ping as unknown as (form: FormData) => Promise<void>}>
      <button type="submit">Ping</button>
    </form>
  );
}
`,
  "jobs/notify.ts": `import { defineJob } from "tandem/jobs";

export default defineJob({
  async run(payload: { text: string }) {
    return payload.text;
  },
});
`,
  "app/chat/socket.ts": `import { defineSocket } from "tandem/realtime";

export default defineSocket({
  message(peer, message) {
    peer.send(\`echo \${String(message)}\`);
  },
});
`,
});
after(() => project.remove());

interface SpanView {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentId: string | undefined;
  attributes: Record<string, unknown>;
  status: number;
  events: string[];
}

// OTel's enums, as numbers: SpanKind.INTERNAL 0, SERVER 1, CONSUMER 4; SpanStatusCode.ERROR 2.
const INTERNAL = 0;
const SERVER = 1;
const CONSUMER = 4;
const ERROR = 2;

describeModes("tracing", project.root, (app) => {
  /** The recorded spans once `ready` holds for them (spans end as responses and jobs finish). */
  async function spans(ready: (spans: SpanView[]) => boolean): Promise<{ spans: SpanView[]; errors: unknown[]; registered: number }> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const body = (await (await app().fetch("/api/spans")).json()) as { spans: SpanView[]; errors: unknown[]; registered: number };
      if (ready(body.spans)) return body;
      if (Date.now() > deadline) assert.fail(`spans never got ready: ${body.spans.map((s) => s.name).join(", ")}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  const find = (list: SpanView[], name: string): SpanView => {
    const span = list.find((s) => s.name === name);
    assert.ok(span, `a span named "${name}" among ${list.map((s) => s.name).join(", ")}`);
    return span;
  };

  test("a request: server span continuing traceparent, middleware and route spans below it, the app's span below those", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const parentId = "00f067aa0ba902b7";
    const response = await app().fetch("/api/items/7?x=1", { headers: { traceparent: `00-${traceId}-${parentId}-01` } });
    assert.deepEqual(await response.json(), { id: "7" });
    const { spans: list, registered } = await spans((s) => s.some((x) => x.name === "GET /api/items/[id]"));
    assert.equal(registered, 1, "register() ran once");
    const request = find(list, "GET /api/items/[id]");
    assert.equal(request.kind, SERVER);
    assert.equal(request.traceId, traceId);
    assert.equal(request.parentId, parentId);
    assert.deepEqual(request.attributes, {
      "http.request.method": "GET",
      "url.path": "/api/items/7",
      "url.scheme": "http",
      "http.route": "/api/items/[id]",
      "http.response.status_code": 200,
    });
    const middleware = find(list, "middleware");
    assert.equal(middleware.parentId, request.spanId);
    assert.equal(middleware.kind, INTERNAL);
    const route = find(list, "route /api/items/[id]");
    assert.equal(route.parentId, request.spanId);
    assert.equal(route.attributes["http.response.status_code"], 200);
    const own = find(list, "load item");
    assert.equal(own.parentId, route.spanId);
    assert.equal(own.traceId, traceId);
  });

  test("a handler's error: the route span records it, the request span is a 500 error, onRequestError hears it", async () => {
    const response = await app().fetch("/api/fail");
    assert.equal(response.status, 500);
    await response.body?.cancel();
    const { spans: list, errors } = await spans((s) => s.some((x) => x.name === "GET /api/fail"));
    const request = find(list, "GET /api/fail");
    assert.equal(request.status, ERROR);
    assert.equal(request.attributes["http.response.status_code"], 500);
    const route = find(list, "route /api/fail");
    assert.equal(route.status, ERROR);
    assert.deepEqual(route.events, ["exception"]);
    assert.deepEqual(errors, [
      { message: "kaboom", path: "/api/fail", method: "GET", routerKind: "App Router", routePath: "/api/fail", routeType: "route" },
    ]);
  });

  test("a 404 is no error, and a path no route matches has no http.route", async () => {
    const response = await app().fetch("/nowhere");
    assert.equal(response.status, 404);
    await response.body?.cancel();
    // Dev runs middleware for every path (its matcher may change), so the request span is told by its kind.
    const isRequest = (s: SpanView) => s.kind === SERVER && s.attributes["url.path"] === "/nowhere";
    const { spans: list } = await spans((s) => s.some(isRequest));
    const request = list.find(isRequest)!;
    assert.equal(request.name, "GET");
    assert.equal(request.status, 0);
    assert.equal(request.attributes["http.route"], undefined);
  });

  test("a Server Action: its span below the page render below the request; the job it enqueued has its own", async () => {
    const origin = await app().origin();
    const html = await (await app().fetch("/form")).text();
    const id = /name="\$ACTION_ID_([^"]+)"/.exec(html)?.[1];
    assert.ok(id, "the form carries its action id");
    const called = await app().fetch("/form", {
      method: "POST",
      body: '["hi"]',
      headers: { "x-tandem-action": id, "x-tandem-rsc": "1", origin, "content-type": "text/plain" },
    });
    assert.equal(called.status, 200);
    assert.match(await called.text(), /pong hi/);
    await app().drainJobs();
    const { spans: list } = await spans((s) => s.some((x) => x.name === "job notify") && s.some((x) => x.name === `action ${id}`));
    const request = list.find((s) => s.name === "POST /form")!;
    assert.ok(request, "the request span");
    const render = list.find((s) => s.name === "render /form" && s.parentId === request.spanId)!;
    assert.ok(render, "the render span below the request");
    const action = find(list, `action ${id}`);
    assert.equal(action.parentId, render.spanId);
    assert.equal(action.attributes["tandem.action.id"], id);
    const job = find(list, "job notify");
    assert.equal(job.kind, CONSUMER);
    assert.equal(job.attributes["tandem.job.name"], "notify");
    assert.equal(job.attributes["tandem.job.attempt"], 1);
    assert.equal(typeof job.attributes["tandem.job.id"], "string");
  });

  test("a socket message", async () => {
    const ws = await app().socket("/chat");
    const echoed = new Promise<string>((resolve) => ws.once("message", (data) => resolve(String(data))));
    ws.send("hello");
    assert.equal(await echoed, "echo hello");
    const { spans: list } = await spans((s) => s.some((x) => x.name === "socket message /chat"));
    const span = find(list, "socket message /chat");
    assert.equal(span.kind, SERVER);
    assert.equal(span.attributes["messaging.message.body.size"], 5);
    assert.equal(typeof span.attributes["tandem.request.id"], "string");
  });
});
