// next/server's userAgent(), URLPattern and after() in every mode: in route handlers, middleware
// and a Server Component, as Next.js apps use them.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { createTestApp } from "tandem/testing";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";

// Shared by the routes through globalThis: dev's module runner may hold two copies of lib/.
const LOG = `export const log: Record<string, string[]> = ((globalThis as { afterLog?: Record<string, string[]> }).afterLog ??= {});
export const note = (id: string, what: string) => void (log[id] ??= []).push(what);
`;

const project = createProject({
  "lib/log.ts": LOG,
  "middleware.ts": `import { NextResponse, after, userAgent } from "next/server";
import { note } from "./lib/log";

export function middleware(request) {
  const response = NextResponse.next();
  response.headers.set("x-bot", String(userAgent(request).isBot));
  const id = request.nextUrl.searchParams.get("id");
  if (id && request.nextUrl.pathname !== "/after/status") after(() => note(id, "middleware"));
  return response;
}

export const config = { matcher: ["/ua", "/after/:path*", "/rendered"] };
`,
  "app/ua/route.ts": `import { userAgent } from "next/server";

export function GET(request: Request) {
  return Response.json(userAgent(request));
}
`,
  "app/books/[id]/route.ts": `import { URLPattern } from "next/server";

const pattern = new URLPattern({ pathname: "/books/:id(\\\\d+)" });

export function GET(request: Request) {
  const match = pattern.exec(request.url);
  return Response.json({ id: match?.pathname.groups.id ?? null, global: URLPattern === globalThis.URLPattern });
}
`,
  // The last chunk says whether the task had run by then: it must not have.
  "app/after/stream/route.ts": `import { after } from "next/server";
import { log, note } from "../../../lib/log";

export function GET(request: Request) {
  const id = new URL(request.url).searchParams.get("id")!;
  after(() => note(id, "handler"));
  const encoder = new TextEncoder();
  let step = 0;
  const body = new ReadableStream({
    async pull(controller) {
      if (step++ === 0) return controller.enqueue(encoder.encode("first|"));
      await new Promise((resolve) => setTimeout(resolve, 100));
      controller.enqueue(encoder.encode("ran-before-end:" + String((log[id] ?? []).includes("handler"))));
      controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/plain" } });
}
`,
  "app/after/fail/route.ts": `import { after } from "next/server";

export function GET() {
  after(() => {
    throw new Error("after-task-exploded");
  });
  after(Promise.reject(new Error("after-promise-rejected")));
  return new Response("ok");
}
`,
  "app/after/slow/route.ts": `import { writeFile } from "node:fs/promises";
import { after } from "next/server";

export function GET() {
  after(async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    await writeFile(process.env.AFTER_DONE_FILE!, "done");
  });
  return new Response("accepted", { status: 202 });
}
`,
  "app/after/context/route.ts": `import { headers } from "next/headers";
import { after } from "next/server";
import { note } from "../../../lib/log";

export function GET(request: Request) {
  const id = new URL(request.url).searchParams.get("id")!;
  after(async () => note(id, "who:" + (await headers()).get("x-who")));
  return new Response("ok");
}
`,
  "app/after/status/route.ts": `import { log } from "../../../lib/log";

export function GET(request: Request) {
  return Response.json(log[new URL(request.url).searchParams.get("id")!] ?? []);
}
`,
  "app/layout.tsx": `import type { ReactNode } from "react";

export default function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
`,
  "app/rendered/page.tsx": `import { after } from "next/server";
import { note } from "../../lib/log";

export default async function Page({ searchParams }: { searchParams: Promise<{ id?: string }> }) {
  const { id = "none" } = await searchParams;
  after(() => note(id, "component"));
  return <p id="rendered">rendered {id}</p>;
}
`,
});
const doneFile = join(project.root, "after-done.txt");
after(() => project.remove());

const CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
const GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

let ids = 0;

describeModes(
  "next/server: userAgent, URLPattern, after",
  project.root,
  (app, mode) => {
    /** What the app's after() tasks recorded for `id`, once they have (or what they had after 5 s). */
    async function logOf(id: string, count: number): Promise<string[]> {
      const deadline = Date.now() + 5_000;
      for (;;) {
        const entries = (await (await app().fetch(`/after/status?id=${id}`)).json()) as string[];
        if (entries.length >= count || Date.now() > deadline) return entries;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }

    test("userAgent() parses real browsers and knows a crawler", async () => {
      const chrome = await app().fetch("/ua", { headers: { "user-agent": CHROME } });
      assert.equal(chrome.headers.get("x-bot"), "false");
      const desktop = await chrome.json();
      assert.deepEqual(desktop.browser, { name: "Chrome", version: "131.0.0.0", major: "131" });
      assert.deepEqual(desktop.os, { name: "Windows", version: "10" });
      assert.equal(desktop.engine.name, "Blink");
      assert.equal(desktop.cpu.architecture, "amd64");
      assert.equal(desktop.isBot, false);
      assert.equal(desktop.ua, CHROME);

      const phone = await (await app().fetch("/ua", { headers: { "user-agent": IPHONE } })).json();
      assert.deepEqual(phone.device, { vendor: "Apple", model: "iPhone", type: "mobile" });
      assert.deepEqual(phone.os, { name: "iOS", version: "17.4" });
      assert.equal(phone.browser.name, "Mobile Safari");

      const bot = await app().fetch("/ua", { headers: { "user-agent": GOOGLEBOT } });
      assert.equal(bot.headers.get("x-bot"), "true");
      assert.equal((await bot.json()).isBot, true);
    });

    test("userAgent() of a request without the header", async () => {
      // Node's fetch sends its own User-Agent unless it is set: an empty one counts as none.
      const none = await (await app().fetch("/ua", { headers: { "user-agent": "" } })).json();
      assert.equal(none.isBot, false);
      assert.equal(none.browser.name, undefined);
    });

    test("URLPattern from next/server is the global, and matches", async () => {
      assert.deepEqual(await (await app().fetch("/books/42")).json(), { id: "42", global: true });
      assert.deepEqual(await (await app().fetch("/books/abc")).json(), { id: null, global: true });
    });

    test("after() in a handler and middleware runs once the body has been received", async () => {
      const id = `s${++ids}`;
      const response = await app().fetch(`/after/stream?id=${id}`);
      assert.equal(await response.text(), "first|ran-before-end:false");
      assert.deepEqual((await logOf(id, 2)).sort(), ["handler", "middleware"]);
    });

    test("a task still sees its request: headers() answers", async () => {
      const id = `h${++ids}`;
      assert.equal(await (await app().fetch(`/after/context?id=${id}`, { headers: { "x-who": "ada" } })).text(), "ok");
      assert.deepEqual((await logOf(id, 2)).sort(), ["middleware", "who:ada"]);
    });

    test("after() in a Server Component runs once the page is sent", async () => {
      const id = `c${++ids}`;
      const html = await (await app().fetch(`/rendered?id=${id}`)).text();
      assert.match(html, new RegExp(`id="rendered">rendered (<!-- -->)?${id}<`));
      assert.deepEqual((await logOf(id, 2)).sort(), ["component", "middleware"]);
    });

    test("a failing task is logged and the server keeps serving", async () => {
      const response = await app().fetch("/after/fail");
      assert.equal(await response.text(), "ok");
      const id = `f${++ids}`;
      await (await app().fetch(`/after/stream?id=${id}`)).text();
      assert.deepEqual((await logOf(id, 2)).sort(), ["handler", "middleware"]);
      if (mode !== "memory") {
        const output = await app().waitForOutput(/after-promise-rejected/);
        assert.match(output, /a task passed to after\(\) failed/);
        assert.match(output, /after-task-exploded/);
        assert.match(output, /after-promise-rejected/);
      }
    });
  },
  { env: { AFTER_DONE_FILE: doneFile } },
);

test("tandem start: a graceful shutdown waits for the after() tasks", async () => {
  const app = await createTestApp(project.root, { mode: "start", build: false, env: { AFTER_DONE_FILE: doneFile } });
  try {
    assert.equal((await app.fetch("/after/slow")).status, 202);
  } finally {
    await app.close();
  }
  assert.equal(existsSync(doneFile) ? readFileSync(doneFile, "utf8") : "missing", "done");
});
