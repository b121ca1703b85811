// WebSocket and URLPattern as Next.js apps use them, on every Node Tandem supports: Node 20 has
// neither global, and Tandem provides them from undici and urlpattern-polyfill (decision 0011).
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { WebSocketServer } from "ws";
import { provideWebGlobals } from "../../src/app/web-globals.js";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";

// A real WebSocket server for the app's handler to connect to.
const echo = new WebSocketServer({ port: 0, host: "127.0.0.1" });
echo.on("connection", (socket) => socket.on("message", (data) => socket.send(`echo:${String(data)}`)));
await new Promise<void>((resolve) => echo.once("listening", () => resolve()));
const echoUrl = `ws://127.0.0.1:${(echo.address() as { port: number }).port}`;

const project = createProject({
  // Top-level use: the global must exist before the app's modules run.
  "app/api/books/[id]/route.ts": `const pattern = new URLPattern({ pathname: "/api/books/:id" });
export const GET = (request: Request) => Response.json({ id: pattern.exec(request.url)?.pathname.groups.id ?? null });
`,
  "app/api/ws/route.ts": `export const GET = (request: Request) => {
  const target = new URL(request.url).searchParams.get("to")!;
  return new Promise<Response>((resolve) => {
    const socket = new WebSocket(target);
    socket.addEventListener("open", () => socket.send("ping"));
    socket.addEventListener("message", (event) => {
      socket.close();
      resolve(Response.json({ reply: String(event.data), standard: typeof socket.addEventListener === "function" && socket.readyState >= 0 }));
    });
    socket.addEventListener("error", () => resolve(Response.json({ error: true }, { status: 502 })));
  });
};
`,
});

after(() => {
  echo.close();
  project.remove();
});

describeModes("WebSocket and URLPattern globals", project.root, (app) => {
  test("URLPattern at a module's top level and in a handler", async () => {
    assert.deepEqual(await (await app().fetch("/api/books/42")).json(), { id: "42" });
  });

  test("a route handler opens a WHATWG WebSocket", async () => {
    const response = await app().fetch(`/api/ws?to=${encodeURIComponent(echoUrl)}`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { reply: "echo:ping", standard: true });
  });
});

describe("provideWebGlobals", () => {
  test("defines what is missing, loading it on first read; an assignment wins", () => {
    const target: Record<string, unknown> = {};
    assert.deepEqual(provideWebGlobals(target), ["WebSocket", "URLPattern"]);
    const Pattern = target.URLPattern as new (init: { pathname: string }) => { test(url: string): boolean };
    assert.equal(new Pattern({ pathname: "/a/:b" }).test("https://x.test/a/1"), true);
    assert.equal(typeof target.WebSocket, "function");
    assert.equal((target.WebSocket as { name: string }).name, "WebSocket");
    target.WebSocket = "mine";
    assert.equal(target.WebSocket, "mine");
  });

  test("never replaces a global the runtime has", () => {
    const own = class WebSocket {};
    const target: Record<string, unknown> = { WebSocket: own };
    assert.deepEqual(provideWebGlobals(target), ["URLPattern"]);
    assert.equal(target.WebSocket, own);
  });

  test("this process has both globals once the runtime provided them", () => {
    provideWebGlobals();
    assert.equal(typeof (globalThis as { WebSocket?: unknown }).WebSocket, "function");
    assert.equal(typeof (globalThis as { URLPattern?: unknown }).URLPattern, "function");
  });
});
