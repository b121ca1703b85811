// A real node:http server on 127.0.0.1:0 with the realtime upgrade handler, and a small
// fetch bridge (for SSE routes) until the server feature's serve() is wired in here.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket } from "ws";
import { AppScope } from "../../src/app/scope.js";
import { appHub } from "../../src/realtime/app-hub.js";
import type { TopicHub } from "../../src/realtime/hub.js";
import { createRealtime, type AppUpgradeResult, type Realtime, type RealtimeOptions } from "../../src/realtime/node.js";
import type { SocketDefinition } from "../../src/realtime/types.js";
import type { Params } from "../../src/router/types.js";

export interface TestServer {
  url: string;
  ws: string;
  realtime: Realtime;
  /** The app's scope: imported publish() and sse() reach this server's hub inside scope.run. */
  scope: AppScope;
  hub: TopicHub;
  server: Server;
  close(): Promise<void>;
}

/** Patterns like "/rooms/[id]" -> a matcher; enough routing for realtime's own tests. */
function matcher(pattern: string): (pathname: string) => Params | null {
  const names: string[] = [];
  const source = pattern.replace(/\[([^\]]+)\]/g, (_, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  const regex = new RegExp(`^${source}$`);
  return (pathname) => {
    const m = regex.exec(pathname);
    if (!m) return null;
    return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(m[i + 1]!)]));
  };
}

/** A fake of createApp's `upgrade`: optional guard (like middleware), then pattern routing. */
export function fakeApp(sockets: Record<string, unknown>, guard?: (request: Request) => Response | undefined) {
  const routes = Object.entries(sockets).map(([pattern, definition]) => ({ match: matcher(pattern), definition }));
  return {
    async upgrade(request: Request): Promise<AppUpgradeResult> {
      const refused = guard?.(request);
      if (refused) return { kind: "response", response: refused };
      const { pathname } = new URL(request.url);
      for (const route of routes) {
        const params = route.match(pathname);
        if (params) return { kind: "socket", module: { default: route.definition }, params, request };
      }
      return { kind: "response", response: new Response("no socket here", { status: 404 }) };
    },
  };
}

export async function startServer(options: {
  sockets?: Record<string, SocketDefinition | unknown>;
  guard?: (request: Request) => Response | undefined;
  fetch?: (request: Request) => Response | Promise<Response>;
  realtime?: Partial<RealtimeOptions>;
  port?: number;
}): Promise<TestServer> {
  const scope = new AppScope();
  const realtime = createRealtime({
    app: fakeApp(options.sockets ?? {}, options.guard),
    scope,
    redisUrl: "",
    logger: quietLogger(),
    ...options.realtime,
  });
  const server = createServer((req, res) => {
    scope.run(() => bridge(req, res, options.fetch ?? (() => new Response("not found", { status: 404 })))).catch(() => res.destroy());
  });
  server.on("upgrade", (req, socket, head) => realtime.onUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ws: `ws://127.0.0.1:${port}`,
    realtime,
    scope,
    hub: appHub(scope),
    server,
    async close() {
      await realtime.close();
      await scope.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function bridge(req: IncomingMessage, res: ServerResponse, fetch: (request: Request) => Response | Promise<Response>) {
  const aborter = new AbortController();
  res.on("close", () => aborter.abort());
  const request = new Request(new URL(req.url ?? "/", `http://${req.headers.host}`), {
    method: req.method ?? "GET",
    headers: req.headers as Record<string, string>,
    signal: aborter.signal,
  });
  const response = await fetch(request);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) return void res.end();
  const reader = response.body.getReader();
  aborter.signal.addEventListener("abort", () => {
    reader.cancel().catch(() => {});
  });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!res.write(value)) await new Promise((resolve) => res.once("drain", resolve));
  }
  res.end();
}

/** Errors logged by the server under test, so tests can assert on them and the output stays clean. */
export function quietLogger() {
  const errors: unknown[][] = [];
  return {
    errors,
    error: (...args: unknown[]) => {
      errors.push(args);
    },
    warn: () => {},
    info: () => {},
  };
}

export function open(url: string, options: ConstructorParameters<typeof WebSocket>[2] = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    // Listen from the start: a server may send in open() before the caller attaches.
    inbox(ws);
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

/** Resolves with the HTTP status when the handshake is refused. */
export function refusal(url: string, options: ConstructorParameters<typeof WebSocket>[2] = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.once("open", () => {
      ws.close();
      reject(new Error("upgrade was accepted"));
    });
    ws.once("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once("error", () => {});
  });
}

/** Collects text messages; `next()` waits for the next one (JSON-parsed when possible). */
/** Two clients of `url`: `slow` stops reading (its socket paused), `fast` reads through its inbox. */
export async function slowAndFast(url: string): Promise<{ slow: WebSocket; fast: WebSocket; fastBox: Inbox }> {
  const slow = await open(url);
  const fast = await open(url);
  (slow as unknown as { _socket: { pause(): void } })._socket.pause();
  return { slow, fast, fastBox: inbox(fast) };
}

const inboxes = new WeakMap<WebSocket, Inbox>();
type Inbox = { queue: unknown[]; next(timeout?: number): Promise<any> };

export function inbox(ws: WebSocket): Inbox {
  const existing = inboxes.get(ws);
  if (existing) return existing;
  const queue: unknown[] = [];
  const waiters: Array<(value: unknown) => void> = [];
  ws.on("message", (data, isBinary) => {
    const text = isBinary ? data : data.toString();
    let value: unknown = text;
    if (typeof text === "string") {
      try {
        value = JSON.parse(text);
      } catch {
        value = text;
      }
    }
    const waiter = waiters.shift();
    if (waiter) waiter(value);
    else queue.push(value);
  });
  const box: Inbox = {
    queue,
    next(timeout = 3000): Promise<any> {
      if (queue.length) return Promise.resolve(queue.shift());
      // Created here so the stack names the waiting line of the test.
      const error = new Error(`no message within ${timeout} ms`);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(error), timeout);
        waiters.push((value) => {
          clearTimeout(timer);
          resolve(value);
        });
      });
    },
  };
  inboxes.set(ws, box);
  return box;
}

export function closed(ws: WebSocket, timeout = 5000): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    if (ws.readyState === ws.CLOSED) return resolve({ code: -1, reason: "already closed" });
    const timer = setTimeout(() => reject(new Error("socket did not close in time")), timeout);
    ws.once("close", (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
  });
}

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns something truthy (busy machines make fixed sleeps flaky). */
export function until<T>(check: () => T | Promise<T>, timeout = 5000): Promise<T> {
  const error = new Error("condition not met in time");
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = async () => {
      const value = await check();
      if (value) return resolve(value);
      if (Date.now() - started > timeout) return reject(error);
      setTimeout(tick, 10);
    };
    void tick();
  });
}
