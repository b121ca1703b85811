// The server entry says whether the app's code reaches its runtime's scope (build/app-scope.ts):
// only then does `tandem start` enter it for every request (an AsyncLocalStorage, which on Node 20
// slows every promise), and an app that publishes still reaches its own hub.
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, test } from "node:test";
import { createTestApp } from "tandem/testing";
import { createProject } from "../support/project.js";

const projects: Array<{ remove(): void }> = [];
after(() => {
  for (const project of projects) project.remove();
});

async function builtEntry(root: string): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(join(root, ".tandem", "server", "index.js")).href)) as Record<string, unknown>;
}

test("an app whose code never imports tandem/realtime or tandem/jobs builds without the scope", async () => {
  const project = createProject({ "app/api/ping/route.ts": `export const GET = () => Response.json({ pong: true });\n` });
  projects.push(project);
  const app = await createTestApp(project.root, { mode: "start" });
  try {
    assert.deepEqual(await (await app.fetch("/api/ping")).json(), { pong: true });
    assert.equal((await builtEntry(project.root)).appScope, false);
  } finally {
    await app.close();
  }
});

test("an app that publishes builds with the scope, and its SSE listener hears the publish", async () => {
  const project = createProject({
    "app/api/say/route.ts": `import { publish } from "tandem/realtime";
export async function POST(request: Request) {
  await publish("news", await request.text());
  return new Response(null, { status: 204 });
}
`,
    "app/api/listen/route.ts": `import { sse } from "tandem/realtime";
export const GET = (request: Request) => sse(request, (stream) => stream.subscribe("news"));
`,
  });
  projects.push(project);
  const app = await createTestApp(project.root, { mode: "start" });
  try {
    assert.equal((await builtEntry(project.root)).appScope, undefined);
    const listening = await app.fetch("/api/listen", { headers: { accept: "text/event-stream" } });
    assert.equal(listening.status, 200);
    const reader = listening.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    assert.equal((await app.fetch("/api/say", { method: "POST", body: "hello" })).status, 204);
    while (!text.includes("hello")) text += decoder.decode((await reader.read()).value);
    await reader.cancel();
  } finally {
    await app.close();
  }
});

test("importing after from next/server builds with the scope; other next/server names do not", async () => {
  const { usesAppScope } = await import("../../src/build/app-scope.js");
  const withAfter = createProject({
    "app/api/a/route.ts": `import {\n  NextResponse,\n  after,\n} from "next/server";\nexport const GET = () => (after(() => {}), NextResponse.json({}));\n`,
  });
  const without = createProject({
    // "after" in a comment and another name from next/server: no scope.
    "middleware.ts": `// runs after auth\nimport { NextResponse, userAgent } from "next/server";\nexport const middleware = (r: Request) => (userAgent(r), NextResponse.next());\n`,
  });
  projects.push(withAfter, without);
  assert.equal(await usesAppScope(withAfter.root), true);
  assert.equal(await usesAppScope(without.root), false);
});
