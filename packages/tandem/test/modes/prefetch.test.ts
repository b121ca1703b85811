// next/link and useRouter().prefetch() fetch a page's RSC payload ahead in production builds, and
// the navigation to it uses that payload while it is fresh; `tandem dev` never prefetches. Counted
// in Chromium: every GET carrying Tandem's RSC header is one payload request.
import assert from "node:assert/strict";
import { after, test, type TestContext } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";
import { CHROMIUM, CHROMIUM_ARGS, needChromium } from "tandem-test-support/services";

const staticPage = (title: string) => `export const dynamic = "force-static";
export default function Page() {
  return <h1 id="title">${title}</h1>;
}
`;

const project = createProject({
  "app/layout.tsx": `export default function Layout({ children }: { children: React.ReactNode }) {
  return <html lang="en"><body>{children}</body></html>;
}
`,
  "app/page.tsx": `import Link from "next/link";
import { Buttons } from "./buttons";
export const dynamic = "force-static";
export default function Home() {
  return (
    <main>
      <h1 id="title">Home</h1>
      <Link id="to-about" href="/about">About</Link>
      <Link id="to-off" href="/off" prefetch={false}>Off</Link>
      <Link id="to-dynamic" href="/dynamic">Dynamic</Link>
      <a id="plain" href="/plain">Plain</a>
      <Link id="external" href="https://example.invalid/elsewhere">Elsewhere</Link>
      <Buttons />
      <div style={{ marginTop: "4000px" }}>
        <Link id="to-below" href="/below">Below</Link>
        <Link id="to-touched" href="/touched">Touched</Link>
      </div>
    </main>
  );
}
`,
  "app/buttons.tsx": `"use client";
import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { ping } from "./actions";
export function Buttons() {
  const router = useRouter();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  return (
    <p id="buttons" data-hydrated={ready ? "yes" : "no"}>
      <button id="prefetch-routed" onClick={() => router.prefetch("/routed")}>prefetch</button>
      <button id="push-routed" onClick={() => router.push("/routed")}>push</button>
      <button id="refresh" onClick={() => router.refresh()}>refresh</button>
      <button id="action" onClick={async () => { document.title = String(await ping()); }}>action</button>
    </p>
  );
}
`,
  // The matcher Next.js's docs give for skipping prefetches: the header marks Tandem's too.
  "middleware.ts": `import { NextResponse } from "next/server";
export function middleware() {
  const response = NextResponse.next();
  response.headers.set("x-middleware-ran", "1");
  return response;
}
export const config = {
  matcher: [{ source: "/((?!_next|favicon.ico).*)", missing: [{ type: "header", key: "next-router-prefetch" }] }],
};
`,
  "app/actions.ts": `"use server";
export async function ping(): Promise<string> {
  return "pong";
}
`,
  "app/about/page.tsx": staticPage("About"),
  "app/off/page.tsx": staticPage("Off"),
  "app/plain/page.tsx": staticPage("Plain"),
  "app/below/page.tsx": staticPage("Below"),
  "app/touched/page.tsx": staticPage("Touched"),
  // Rendered per request: a plain <Link> does not get its data ahead; prefetch={true} and
  // router.prefetch() do.
  "app/dynamic/page.tsx": `export default function Page() {
  return <h1 id="title">Dynamic</h1>;
}
`,
  "app/routed/page.tsx": `export default function Page() {
  return <h1 id="title">Routed</h1>;
}
`,
});

let browser: Browser | undefined;
after(async () => {
  await browser?.close();
  project.remove();
});

interface Session {
  page: Page;
  /** Payload requests so far, as "path prefetch-kind" ("/about auto", "/about -" for a navigation). */
  requests: string[];
  /** Status of each payload response, in the same form. */
  statuses: Map<string, number>;
  /** Payload responses that middleware saw (its x-middleware-ran header), in the same form. */
  throughMiddleware: Set<string>;
  count(path: string): number;
  close(): Promise<void>;
}

/** Runs `body` with a page on `url` (not when Chromium is missing), closing the page after. */
async function withSession(
  t: TestContext,
  url: string,
  options: { clock?: boolean; saveData?: boolean },
  body: (session: Session) => Promise<void>,
): Promise<void> {
  const session = await open(t, url, options);
  if (session === undefined) return;
  try {
    await body(session);
  } finally {
    await session.close();
  }
}

async function open(t: TestContext, url: string, options: { clock?: boolean; saveData?: boolean } = {}): Promise<Session | undefined> {
  if (!(await needChromium(t))) return undefined;
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const page = await browser.newPage();
  const requests: string[] = [];
  page.on("request", (request) => {
    const headers = request.headers();
    if (request.method() !== "GET" || headers["x-tandem-rsc"] !== "1") return;
    requests.push(`${new URL(request.url()).pathname} ${headers["x-tandem-prefetch"] ?? "-"}`);
  });
  const statuses = new Map<string, number>();
  const throughMiddleware = new Set<string>();
  page.on("response", async (response) => {
    const headers = await response.request().allHeaders();
    if (headers["x-tandem-rsc"] !== "1") return;
    const line = `${new URL(response.url()).pathname} ${headers["x-tandem-prefetch"] ?? "-"}`;
    statuses.set(line, response.status());
    if (response.headers()["x-middleware-ran"] === "1") throughMiddleware.add(line);
  });
  if (options.clock === true) await page.clock.install();
  if (options.saveData === true)
    await page.addInitScript(() => Object.defineProperty(navigator, "connection", { value: { saveData: true } }));
  await page.goto(url);
  await page.waitForSelector("#buttons[data-hydrated=yes]");
  return {
    page,
    requests,
    statuses,
    throughMiddleware,
    count: (path) => requests.filter((line) => line.startsWith(`${path} `)).length,
    close: () => page.close(),
  };
}

async function waitUntil(done: () => boolean, failure: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) assert.fail(failure());
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until `path` was asked for `n` times (a prefetch runs in the background). */
function waitForCount(session: Session, path: string, n: number): Promise<void> {
  return waitUntil(
    () => session.count(path) >= n,
    () => `${path} requested ${session.count(path)} time(s), expected ${n}: ${session.requests.join(", ")}`,
  );
}

/** Clicks without the pointer entering the link first (which would prefetch it again). */
async function clickOnly(session: Session, selector: string, title: string): Promise<void> {
  await session.page.$eval(selector, (link) => (link as HTMLAnchorElement).click());
  await session.page.waitForFunction((text) => document.querySelector("#title")?.textContent === text, title);
}

async function clickAndWait(session: Session, selector: string, title: string): Promise<void> {
  await session.page.click(selector);
  await session.page.waitForFunction((text) => document.querySelector("#title")?.textContent === text, title);
}

/**
 * The pointer entering the link from outside the window, without scrolling it into view (which
 * would prefetch on its own). React turns this mouseover into the link's onMouseEnter.
 */
async function hover(session: Session, selector: string): Promise<void> {
  await session.page.$eval(selector, (link) => link.dispatchEvent(new MouseEvent("mouseover", { bubbles: true, relatedTarget: null })));
}

describeModes("Link and router prefetch", project.root, (testApp, mode) => {
  if (mode === "dev") {
    test("dev does not prefetch: links in view, hovered and router.prefetch() ask nothing", async (t) => {
      await withSession(t, `${await testApp().url()}/`, {}, async (session) => {
        await hover(session, "#to-about");
        await session.page.click("#prefetch-routed");
        // The navigation's own request comes after any prefetch would have been sent.
        await clickAndWait(session, "#to-about", "About");
        assert.deepEqual(session.requests, ["/about -"]);
      });
    });
    return;
  }

  test("a link in view is prefetched once, and clicking it fetches nothing more", async (t) => {
    await withSession(t, `${await testApp().url()}/`, {}, async (session) => {
      await waitForCount(session, "/about", 1);
      await waitForCount(session, "/dynamic", 1);
      await hover(session, "#to-about");
      await clickAndWait(session, "#to-about", "About");
      assert.deepEqual(
        session.requests.filter((line) => line.startsWith("/about")),
        ["/about auto"],
      );
      // Not in view (4000px down), prefetch={false}, a plain <a> and an external link: nothing.
      for (const path of ["/below", "/touched", "/off", "/plain", "/elsewhere"]) assert.equal(session.count(path), 0, path);
    });
  });

  test("hovering or touching a link out of view prefetches it", async (t) => {
    await withSession(t, `${await testApp().url()}/`, {}, async (session) => {
      await waitForCount(session, "/about", 1);
      assert.equal(session.count("/below"), 0);
      await hover(session, "#to-below");
      await waitForCount(session, "/below", 1);
      await session.page.$eval("#to-touched", (link) => link.dispatchEvent(new Event("touchstart", { bubbles: true })));
      await waitForCount(session, "/touched", 1);
      await clickAndWait(session, "#to-below", "Below");
      assert.equal(session.count("/below"), 1);
    });
  });

  test("prefetch={false}: neither view nor hover prefetches, the click fetches", async (t) => {
    await withSession(t, `${await testApp().url()}/`, {}, async (session) => {
      await waitForCount(session, "/about", 1);
      await hover(session, "#to-off");
      await clickAndWait(session, "#to-off", "Off");
      assert.deepEqual(
        session.requests.filter((line) => line.startsWith("/off")),
        ["/off -"],
      );
    });
  });

  test("a page rendered per request: a plain Link's prefetch gets no data, the click fetches it", async (t) => {
    await withSession(t, `${await testApp().url()}/`, {}, async (session) => {
      await waitForCount(session, "/dynamic", 1);
      await clickAndWait(session, "#to-dynamic", "Dynamic");
      assert.deepEqual(
        session.requests.filter((line) => line.startsWith("/dynamic")),
        ["/dynamic auto", "/dynamic -"],
      );
      // Responses are recorded once their headers are read, which may be after the page showed.
      await waitUntil(
        () => session.statuses.size >= 2 && session.statuses.has("/dynamic -"),
        () => `responses: ${[...session.statuses.keys()].join(", ")}`,
      );
      assert.equal(session.statuses.get("/dynamic auto"), 204);
      assert.equal(session.statuses.get("/dynamic -"), 200);
      // Prefetches carry next-router-prefetch, which the app's matcher leaves out.
      assert.deepEqual([...session.throughMiddleware], ["/dynamic -"]);
    });
  });

  test("router.prefetch() fetches a dynamic page in full, and router.push() uses it", async (t) => {
    await withSession(t, `${await testApp().url()}/`, {}, async (session) => {
      await session.page.click("#prefetch-routed");
      await waitForCount(session, "/routed", 1);
      await clickAndWait(session, "#push-routed", "Routed");
      assert.deepEqual(
        session.requests.filter((line) => line.startsWith("/routed")),
        ["/routed full"],
      );
    });
  });

  test("a prefetched page older than 5 minutes is fetched again on navigation", async (t) => {
    await withSession(t, `${await testApp().url()}/`, { clock: true }, async (session) => {
      await waitForCount(session, "/about", 1);
      await session.page.clock.fastForward("05:01");
      await clickOnly(session, "#to-about", "About");
      assert.deepEqual(
        session.requests.filter((line) => line.startsWith("/about")),
        ["/about auto", "/about -"],
      );
    });
  });

  for (const [button, done] of [
    ["#refresh", "/ -"],
    ["#action", "pong"],
  ] as const) {
    test(`${button === "#refresh" ? "router.refresh()" : "a Server Action"} drops the prefetched pages`, async (t) => {
      await withSession(t, `${await testApp().url()}/`, {}, async (session) => {
        await waitForCount(session, "/about", 1);
        await session.page.click(button);
        if (button === "#refresh") await waitForCount(session, "/", 1);
        else await session.page.waitForFunction((text) => document.title === text, done);
        await clickOnly(session, "#to-about", "About");
        assert.deepEqual(
          session.requests.filter((line) => line.startsWith("/about")),
          ["/about auto", "/about -"],
        );
      });
    });
  }

  test("with Save-Data on, nothing is prefetched", async (t) => {
    await withSession(t, `${await testApp().url()}/`, { saveData: true }, async (session) => {
      await hover(session, "#to-about");
      await session.page.click("#prefetch-routed");
      await clickAndWait(session, "#to-about", "About");
      assert.deepEqual(session.requests, ["/about -"]);
    });
  });
});
