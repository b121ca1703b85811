// errors.format "problem+json" in every mode: each error response Tandem builds (an HttpError, the
// 404, the 405, a 413 from the server, a 500, defineHandler's validation 400, a refused WebSocket
// upgrade) answers RFC 9457 problem details, while an app without the setting keeps its JSON.
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { after, test } from "node:test";
import { createClient } from "tandem/client";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";

const project = createProject({
  "tandem.config.ts": `import { defineConfig } from "tandem/server";
export default defineConfig({ errors: { format: "problem+json" } });
`,
  "app/api/boards/[id]/route.ts": `import { HttpError } from "tandem/server";
export function GET() {
  throw new HttpError(403, "NOT_YOURS", "This board belongs to someone else.", { headers: { "x-reason": "owner" } });
}
`,
  "app/api/crash/route.ts": `export function GET() {
  throw new Error("the database is on fire");
}
`,
  "app/api/cards/route.ts": `import { defineHandler, reply } from "tandem/server";
import { z } from "zod";
export const POST = defineHandler({ body: z.object({ title: z.string().min(1) }) }, ({ body }) => reply(body, { status: 201 }));
`,
  "app/api/upload/route.ts": `export async function POST(request: Request) {
  return Response.json({ bytes: (await request.text()).length });
}
`,
  "app/api/live/socket.ts": `import { defineSocket } from "tandem/realtime";
import { HttpError } from "tandem/server";
export default defineSocket({
  upgrade(request) {
    if (!request.headers.get("cookie")?.includes("session=")) throw new HttpError(401, "NO_SESSION", "Sign in first.");
  },
  open(peer) {
    peer.send("hello");
  },
});
`,
});
after(() => project.remove());

const PROBLEM = "application/problem+json";

/** The status, content type and parsed body of a response. */
async function read(response: Response): Promise<{ status: number; type: string | null; body: Record<string, unknown> }> {
  return { status: response.status, type: response.headers.get("content-type"), body: (await response.json()) as Record<string, unknown> };
}

/** A raw WebSocket upgrade, for the refusal's status, type and body (a ws client hides the body). */
function upgrade(url: string): Promise<{ status: number; type: string | undefined; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      headers: {
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-version": "13",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      },
    });
    req.on("response", (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, type: res.headers["content-type"], body: JSON.parse(text) }));
    });
    req.on("upgrade", () => reject(new Error("the upgrade was accepted")));
    req.on("error", reject);
    req.end();
  });
}

describeModes("problem details", project.root, (app, mode) => {
  test("an HttpError: type, title, status, detail, instance, with code and requestId, and its own headers", async () => {
    const response = await app().fetch("/api/boards/42?tab=cards");
    assert.equal(response.headers.get("x-reason"), "owner");
    const { status, type, body } = await read(response);
    assert.equal(status, 403);
    assert.equal(type, PROBLEM);
    const { requestId, ...rest } = body;
    assert.deepEqual(rest, {
      type: "about:blank",
      title: "Forbidden",
      status: 403,
      detail: "This board belongs to someone else.",
      instance: "/api/boards/42",
      code: "NOT_YOURS",
    });
    assert.match(String(requestId), /^[0-9a-f-]{36}$/);
  });

  test("the 404 for an API client and the 405 of a route without the method", async () => {
    const missing = await read(await app().fetch("/api/nothing-here", { headers: { accept: PROBLEM } }));
    assert.equal(missing.type, PROBLEM);
    assert.equal(missing.body.status, 404);
    assert.equal(missing.body.title, "Not Found");
    assert.equal(missing.body.code, "TND_ERR_NOT_FOUND");
    assert.equal(missing.body.instance, "/api/nothing-here");

    const response = await app().fetch("/api/boards/42", { method: "DELETE" });
    assert.equal(response.headers.get("allow"), "GET, HEAD, OPTIONS");
    const wrong = await read(response);
    assert.equal(wrong.status, 405);
    assert.equal(wrong.type, PROBLEM);
    assert.deepEqual([wrong.body.title, wrong.body.code], ["Method Not Allowed", "TND_ERR_METHOD_NOT_ALLOWED"]);
  });

  test("defineHandler's validation 400 keeps its issues as an extension member; the typed client reads it", async () => {
    const response = await app().fetch("/api/cards", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"title":""}',
    });
    const { status, type, body } = await read(response.clone());
    assert.equal(status, 400);
    assert.equal(type, PROBLEM);
    assert.equal(body.code, "TND_ERR_VALIDATION");
    assert.match(String(body.detail), /^Invalid request body: body\.title: /);
    assert.equal((body.issues as Array<{ location: string; path: string[] }>)[0]?.location, "body");
    assert.deepEqual((body.issues as Array<{ path: string[] }>)[0]?.path, ["title"]);

    const client = createClient("http://app", { fetch: async () => response });
    const result = await (client as unknown as (path: string) => { POST(init: unknown): Promise<{ ok: boolean; error: unknown }> })(
      "/api/cards",
    ).POST({
      body: { title: "" },
    });
    assert.equal(result.ok, false);
    assert.equal((result.error as { code: string }).code, "TND_ERR_VALIDATION");
    assert.equal((result.error as { message: string }).message, body.detail);
    assert.equal((result.error as { issues: unknown[] }).issues.length, 1);
  });

  test("a 500 says nothing of the error outside dev, and carries the request id of its x-request-id header", async () => {
    const response = await app().fetch("/api/crash", { headers: { accept: "application/json" } });
    const { status, type, body } = await read(response);
    assert.equal(status, 500);
    assert.equal(type, PROBLEM);
    assert.equal(body.code, "TND_ERR_INTERNAL");
    assert.equal(body.requestId, response.headers.get("x-request-id"));
    if (mode === "dev") assert.equal(body.detail, "the database is on fire");
    else {
      assert.equal(body.detail, "Internal Server Error");
      assert.equal(body.stack, undefined);
    }
  });

  test("the server's own 413 for a body over the 1 MiB bodyLimit", async () => {
    const response = await fetch(`${await app().url()}/api/upload`, { method: "POST", body: "x".repeat(1024 * 1024 + 1) });
    const { status, type, body } = await read(response);
    assert.equal(status, 413);
    assert.equal(type, PROBLEM);
    assert.equal(body.code, "TND_ERR_BODY_TOO_LARGE");
    assert.equal(body.instance, "/api/upload");
    assert.equal(typeof body.requestId, "string");
  });

  test("a refused WebSocket upgrade", async () => {
    const refused = await upgrade(`${await app().url()}/api/live`);
    assert.equal(refused.status, 401);
    assert.equal(refused.type, PROBLEM);
    assert.deepEqual([refused.body.code, refused.body.detail, refused.body.instance], ["NO_SESSION", "Sign in first.", "/api/live"]);
  });

  test("a browser navigating still gets an HTML page", async () => {
    const response = await app().fetch("/api/boards/42", { headers: { accept: "text/html" } });
    assert.equal(response.status, 403);
    assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
    await response.body?.cancel();
  });
});

const plain = createProject({
  "app/api/boards/[id]/route.ts": `import { HttpError } from "tandem/server";
export function GET() {
  throw new HttpError(403, "NOT_YOURS", "This board belongs to someone else.");
}
`,
});
after(() => plain.remove());

describeModes(
  "without errors.format",
  plain.root,
  (app) => {
    test("error responses keep Tandem's JSON", async () => {
      const { status, type, body } = await read(await app().fetch("/api/boards/42"));
      assert.equal(status, 403);
      assert.equal(type, "application/json; charset=utf-8");
      assert.deepEqual(body, { error: { code: "NOT_YOURS", message: "This board belongs to someone else." } });
    });
  },
  { modes: ["memory"] },
);
