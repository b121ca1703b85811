// Route segment config in every mode: runtime "edge" runs on Node, maxDuration is the route's
// handler timeout, and dynamic/revalidate/dynamicParams/fetchCache that Tandem does not apply
// are reported once at startup. An invalid value stops the build.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { buildApp } from "../../src/build/build.js";
import type { ServerBuild } from "../../src/app/server-build.js";
import { createRuntime } from "../../src/runtime/create-runtime.js";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";

const project = createProject({
  "app/edge/route.ts": `export const runtime = "edge";
export const GET = () => Response.json({ runtime: typeof process === "object" ? "node" : "other" });
`,
  "app/slow/route.ts": `export const maxDuration = 0.3;
export const GET = (request: Request) =>
  new Promise<Response>((resolve) => {
    const timer = setTimeout(() => resolve(Response.json({ late: true })), 5000);
    request.signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve(Response.json({ aborted: true }));
    });
  });
`,
  "app/fast/route.ts": `export const maxDuration = 5;
export const GET = async () => Response.json({ fast: true });
`,
  "app/layout.tsx": `export const metadata = { title: "Segments" };
export default function Layout({ children }: { children: React.ReactNode }) {
  return <html lang="en"><body>{children}</body></html>;
}
`,
  "app/cached/page.tsx": `export const revalidate = 60;
export const dynamic = "error";
export const fetchCache = "force-cache";
export const dynamicParams = false;
export default function Cached() {
  return <h1 id="cached">{Date.now()}</h1>;
}
`,
  "app/books/[id]/page.tsx": `export const dynamicParams = false;
export async function generateStaticParams() {
  return [{ id: "1" }, { id: "two words" }];
}
export default async function Book({ params }: { params: Promise<{ id: string }> }) {
  return <h1 id="book">{(await params).id}</h1>;
}
`,
  "app/fresh/page.tsx": `export const dynamic = "force-dynamic";
export const revalidate = 0;
export const fetchCache = "force-no-store";
export default function Fresh() {
  return <h1 id="fresh">fresh</h1>;
}
`,
});

after(() => project.remove());

const NOTES = [
  'page /cached: dynamic "error" is not enforced; it renders on each request, as "auto" does',
  "page /cached: revalidate 60 is not applied: Tandem keeps no render cache, so it renders on each request (a force-static page stays as built)",
  'page /cached: fetchCache "force-cache" has no effect: Tandem never caches fetch(), every call goes to the network',
];

describeModes("route segment config", project.root, (app, mode) => {
  test('runtime "edge" is accepted and runs on Node', async () => {
    const response = await app().fetch("/edge");
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { runtime: "node" });
  });

  test("maxDuration is the route's handler timeout", async () => {
    const started = Date.now();
    const slow = await app().fetch("/slow", { headers: { accept: "application/json" } });
    assert.equal(slow.status, 503);
    assert.equal((await slow.json()).error.code, "TND_ERR_SERVER_HANDLER_TIMEOUT");
    assert.ok(Date.now() - started < 4000, `answered after ${Date.now() - started} ms`);
    assert.deepEqual(await (await app().fetch("/fast")).json(), { fast: true });
  });

  test("pages with settings Tandem does not apply still render", async () => {
    for (const path of ["/cached", "/fresh"])
      assert.equal((await app().fetch(path, { headers: { accept: "text/html" } })).status, 200, path);
  });

  test("dynamicParams false: only generateStaticParams' params render, the rest are a 404", async () => {
    const html = { headers: { accept: "text/html" } };
    const one = await app().fetch("/books/1", html);
    assert.equal(one.status, 200);
    assert.match(await one.text(), /<h1 id="book">1<\/h1>/);
    assert.equal((await app().fetch("/books/two%20words", html)).status, 200);
    const missing = await app().fetch("/books/3", html);
    assert.equal(missing.status, 404);
    // No not-found.tsx: Next.js's default page inside the root layout. As from Next.js, the
    // layout's title comes first (what a browser shows), and noindex is said once.
    const page = await missing.text();
    assert.deepEqual(
      [...page.matchAll(/<title>(.*?)<\/title>/g)].map((m) => m[1]),
      ["Segments", "404: This page could not be found."],
    );
    assert.equal(page.match(/<meta name="robots" content="noindex"\/>/g)?.length, 1);
    assert.match(page, /<h1>404<\/h1><h2>This page could not be found\.<\/h2>/);
  });

  test("each setting Tandem does not apply is reported once; honoured ones are not", async () => {
    if (mode === "memory") return; // the in-process runtime logs to this process: checked below
    const output = app().output().replaceAll('\\"', '"');
    for (const note of NOTES) assert.equal(output.split(note).length - 1, 1, `${note}\nin:\n${output}`);
    assert.equal(output.split('route handler /edge: runtime "edge" runs on Node.js').length - 1, 1, output);
    assert.ok(!output.includes("page /fresh"), output);
    assert.ok(!output.includes("page /books"), output);
    assert.ok(!output.includes("route handler /fast"), output);
  });
});

describe("route segment config at startup and build", () => {
  test("the runtime reports what it does instead, one line each", async () => {
    const build = (await import(
      `${pathToFileURL(join(project.root, ".tandem", "server", "index.js")).href}?t=${Date.now()}`
    )) as ServerBuild;
    const warned: string[] = [];
    const infos: string[] = [];
    const logger = { warn: (line: string) => void warned.push(line), info: (line: string) => void infos.push(line), error: () => {} };
    const runtime = await createRuntime({ root: project.root, build, logger });
    await runtime.close();
    assert.deepEqual(warned, NOTES);
    assert.deepEqual(infos, ['route handler /edge: runtime "edge" runs on Node.js (Tandem has one runtime with the same Web APIs)']);
  });

  test("an invalid value stops the build with TND_ERR_SEGMENT_CONFIG", async (t) => {
    const bad = createProject({
      "app/api/x/route.ts": `export const dynamic = "sometimes";\nexport const GET = () => new Response("x");\n`,
    });
    t.after(() => bad.remove());
    await assert.rejects(buildApp({ root: bad.root }), (error: Error & { code?: string }) => {
      assert.equal(error.code, "TND_ERR_SEGMENT_CONFIG");
      assert.match(
        error.message,
        /route handler \/api\/x: export const dynamic must be "auto", "force-dynamic", "error" or "force-static", got "sometimes"/,
      );
      return true;
    });
  });
});
