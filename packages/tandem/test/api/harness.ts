// A real listening server on 127.0.0.1:0 for API tests. Routes are matched by a tiny pattern
// matcher here so these tests depend only on the api feature, not on the router's progress.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { HandlerContext } from "../../src/app/handler-context.js";
import { serve } from "tandem/node";
import type { RouteModule } from "../../src/app/types.js";

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

function compile(pattern: string): RegExp {
  const source = pattern
    .split("/")
    .map((segment) => {
      const optional = /^\[\[\.\.\.(\w+)\]\]$/.exec(segment);
      if (optional) return `(?:/(?<${optional[1]}>.+))?`;
      const rest = /^\[\.\.\.(\w+)\]$/.exec(segment);
      if (rest) return `/(?<${rest[1]}>.+)`;
      const one = /^\[(\w+)\]$/.exec(segment);
      if (one) return `/(?<${one[1]}>[^/]+)`;
      return segment === "" ? "" : `/${segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
    })
    .join("");
  return new RegExp(`^${source || "/"}$`);
}

/**
 * `tandem` hands handlers the context Tandem's app makes (params readable without a promise, so a
 * validated handler can answer synchronously); `plain` a bare `{ params: Promise }`, as any other
 * caller of a Next.js-style handler would.
 */
export function createFetch(
  routes: Record<string, object>,
  context: "tandem" | "plain" = "plain",
): (request: Request) => Promise<Response> {
  const table = Object.entries(routes).map(([pattern, module]) => ({ pattern, regex: compile(pattern), module }));
  return async (request) => {
    const { pathname } = new URL(request.url);
    for (const { pattern, regex, module } of table) {
      const match = regex.exec(pathname);
      if (!match) continue;
      const handler = (module as RouteModule)[request.method as "GET"];
      if (!handler) return new Response("method not allowed", { status: 405 });
      const params: Record<string, string | string[]> = {};
      for (const [key, value] of Object.entries(match.groups ?? {})) {
        if (value === undefined) continue;
        params[key] = pattern.includes(`...${key}]`) ? value.split("/").map(decodeURIComponent) : decodeURIComponent(value);
      }
      return handler(request, context === "tandem" ? new HandlerContext(params) : { params: Promise.resolve(params) });
    }
    return new Response("not found", { status: 404 });
  };
}

function toRequest(req: IncomingMessage, base: string): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else if (value !== undefined) headers.set(key, value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url ?? "/", base), {
    method: req.method ?? "GET",
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : null,
    duplex: "half",
  } as RequestInit);
}

export type Listen = (routes: Record<string, object>) => Promise<TestServer>;

/** Tandem's own server (its Request reads the body buffer directly). */
export const listen: Listen = (routes) => listenFetch(createFetch(routes));

/** Tandem's own server and the context Tandem's app hands over: what `tandem start` runs. */
export const listenApp: Listen = (routes) => listenFetch(createFetch(routes, "tandem"));

/** A bare node:http bridge with a standard streamed Request, as other servers hand one over. */
export const listenBridge: Listen = (routes) => listenNative(createFetch(routes));

const quiet = { error: () => {}, warn: () => {}, info: () => {} };

export async function listenFetch(fetch: (request: Request) => Promise<Response>): Promise<TestServer> {
  const server = await serve({ fetch, port: 0, host: "127.0.0.1", handleSignals: false, logger: quiet });
  return { url: server.url, close: () => server.close() };
}

async function listenNative(fetch: (request: Request) => Promise<Response>): Promise<TestServer> {
  const server = createServer(async (req, res) => {
    try {
      const response = await fetch(toRequest(req, "http://127.0.0.1"));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(`unhandled: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
