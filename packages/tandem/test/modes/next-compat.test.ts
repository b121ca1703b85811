// What Next.js's own fixtures (bench/compat) showed Tandem doing differently, in every mode: JSX in
// the app's .js files, every Set-Cookie of next.config `headers()` in Next.js's order, and
// `redirects()` to a URL of another scheme than http(s).
import assert from "node:assert/strict";
import { readdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test, type TestContext } from "node:test";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, needChromium } from "tandem-test-support/services";
import { buildApp } from "../../src/build/build.js";
import { loadNextConfig } from "../../src/build/next-config.js";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";

const project = createProject({
  // No "type": the usual Next.js app, whose .js files are ESM only to the bundler.
  "package.json": JSON.stringify({ name: "next-compat", private: true }),
  "next.config.mjs": `export default {
  async headers() {
    return [
      {
        source: "/api/cookies",
        headers: [
          { key: "Set-Cookie", value: "config-a=1; Path=/" },
          { key: "set-cookie", value: "config-b=2; Path=/" },
          { key: "x-twice", value: "first" },
        ],
      },
      { source: "/api/:name", headers: [{ key: "X-Twice", value: "second" }, { key: "Set-Cookie", value: "config-c=3; Path=/" }] },
    ];
  },
  async redirects() {
    return [
      { source: "/app-store", destination: "itms-apps://apps.apple.com/de/app/xcode/id497799835?l=en-GB&mt=12", permanent: true },
      { source: "/app-store-short", destination: "itms-apps:apps.apple.com/de/app/xcode/id497799835?mt=12", permanent: true },
      { source: "/write/:topic", destination: "mailto:team@example.com?subject=:topic", permanent: false },
    ];
  },
};
`,
  "app/layout.js": `export const metadata = { title: "JSX in .js" };
export default function Layout({ children }) {
  return (
    <html lang="en">
      <body>
        <header>from the layout</header>
        {children}
      </body>
    </html>
  );
}
`,
  "app/page.js": `import Counter from "./counter.js";
import { Badge } from "./badge.mjs";
export default function Page() {
  return <main><h1 id="title">from the page</h1><Badge /><Counter start={2} /></main>;
}
`,
  "app/badge.mjs": `export const Badge = () => <span id="badge">from an .mjs file</span>;\n`,
  "app/counter.js": `"use client";
import { useState } from "react";
export default function Counter({ start }) {
  const [count, setCount] = useState(start);
  return <button id="count" type="button" onClick={() => setCount(count + 1)}>count {count}</button>;
}
`,
  "app/api/cookies/route.js": `export function GET() {
  const headers = new Headers({ "x-twice": "from the handler" });
  headers.append("set-cookie", "handler-a=1; Path=/");
  headers.append("set-cookie", "handler-b=2; Path=/");
  return new Response("ok", { headers });
}
`,
  "app/api/plain/route.js": `export const GET = () => new Response("plain");\n`,
});

let browser: Browser | undefined;

after(async () => {
  await browser?.close();
  project.remove();
});

describeModes("Next.js compatibility", project.root, (app) => {
  test("JSX in the app's .js and .mjs files: layout, page and a Client Component render", async () => {
    const response = await app().fetch("/", { headers: { accept: "text/html" } });
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.match(html, /<title>JSX in \.js<\/title>/);
    assert.match(html, /<header>from the layout<\/header>/);
    assert.match(html, /<h1 id="title">from the page<\/h1>/);
    assert.match(html, /<span id="badge">from an \.mjs file<\/span>/);
    assert.match(html, /<button id="count" type="button">count <!-- -->2<\/button>/);
  });

  test("in Chromium: the Client Component from a .js file hydrates and updates", async (t: TestContext) => {
    if (!(await needChromium(t))) return;
    browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    const context = await browser.newContext();
    t.after(() => context.close());
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(new URL("/", await app().url()).href);
    await page.waitForFunction(() => Object.keys(document).some((key) => key.startsWith("__reactContainer")));
    await page.click("#count");
    await page.waitForFunction(() => document.querySelector("#count")?.textContent === "count 3");
    assert.deepEqual(errors, []);
  });

  test("headers(): every Set-Cookie, next.config's in rule order before the handler's", async () => {
    const response = await app().fetch("/api/cookies");
    assert.equal(response.status, 200);
    assert.deepEqual(response.headers.getSetCookie(), [
      "config-a=1; Path=/",
      "config-b=2; Path=/",
      "config-c=3; Path=/",
      "handler-a=1; Path=/",
      "handler-b=2; Path=/",
    ]);
    // Any other header: the last matching rule's value, over the handler's own, as in Next.js 16.
    assert.equal(response.headers.get("x-twice"), "second");
    const plain = await app().fetch("/api/plain");
    assert.equal(plain.headers.get("x-twice"), "second");
    assert.deepEqual(plain.headers.getSetCookie(), ["config-c=3; Path=/"]);
  });

  test("redirects() to a URL of another scheme answer with that Location and, as Next.js, as the body", async () => {
    const slashes = await app().fetch("/app-store");
    assert.equal(slashes.status, 308);
    assert.equal(slashes.headers.get("location"), "itms-apps://apps.apple.com/de/app/xcode/id497799835?l=en-GB&mt=12");
    // Next.js's answer: the destination as text, and a Refresh header for clients that ignore 308.
    assert.equal(await slashes.text(), "itms-apps://apps.apple.com/de/app/xcode/id497799835?l=en-GB&mt=12");
    assert.equal(slashes.headers.get("content-type"), null);
    assert.equal(slashes.headers.get("refresh"), "0;url=itms-apps://apps.apple.com/de/app/xcode/id497799835?l=en-GB&mt=12");
    const short = await app().fetch("/app-store-short");
    assert.equal(short.status, 308);
    assert.equal(short.headers.get("location"), "itms-apps:apps.apple.com/de/app/xcode/id497799835?mt=12");
    const mail = await app().fetch("/write/billing");
    assert.equal(mail.status, 307);
    assert.equal(mail.headers.get("location"), "mailto:team@example.com?subject=billing");
    assert.equal(await mail.text(), "mailto:team@example.com?subject=billing");
    assert.equal(mail.headers.get("refresh"), null);
  });
});

describe("JSX in .js files of an app reached through a symlink", () => {
  test("builds: Vite names the modules by their real path", async () => {
    const real = createProject({
      "package.json": JSON.stringify({ name: "linked", private: true }),
      "app/layout.js": `export default function Layout({ children }) {\n  return <html lang="en"><body>{children}</body></html>;\n}\n`,
      "app/page.js": `export default function Page() {\n  return <main id="linked">through a link</main>;\n}\n`,
    });
    // The link lives in a project folder of its own, removed with it.
    const linked = createProject({});
    const at = join(linked.root, "app-link");
    symlinkSync(real.root, at, "dir");
    try {
      // The build only: serving an app through a symlinked root fails for another reason (the
      // server entry's import of the ssr entry), reported apart.
      await buildApp({ root: at });
      const out = join(real.root, ".tandem", "server");
      const server = readdirSync(out, { recursive: true, encoding: "utf8" })
        .filter((name) => name.endsWith(".js"))
        .map((name) => readFileSync(join(out, name), "utf8"))
        .join("\n");
      assert.match(server, /through a link/);
      assert.doesNotMatch(server, /<main/);
    } finally {
      linked.remove();
      real.remove();
    }
  });
});

describe("redirect destinations Tandem refuses", () => {
  const refused = async (t: TestContext, config: string, message: RegExp): Promise<void> => {
    const bad = createProject({ "next.config.mjs": config });
    t.after(() => bad.remove());
    await assert.rejects(loadNextConfig(bad.root, "build"), (error: Error & { code?: string }) => {
      assert.equal(error.code, "TND_ERR_NEXT_CONFIG");
      assert.match(error.message, message);
      return true;
    });
  };

  test("a javascript: or data: redirect stops the build, naming the entry", async (t) => {
    await refused(
      t,
      `export default { redirects: async () => [{ source: "/a", destination: "javascript:alert(1)", permanent: false }] };\n`,
      /next\.config\.mjs: redirects\[0\]\.destination "javascript:alert\(1\)" uses a javascript: URL, which Tandem does not redirect to/,
    );
    await refused(
      t,
      `export default { redirects: async () => [{ source: "/a", destination: "DATA:text/html,hi", permanent: false }] };\n`,
      /redirects\[0\]\.destination "DATA:text\/html,hi" uses a DATA: URL/,
    );
  });

  test("a rewrite still needs a path or an http(s) URL, as in Next.js", async (t) => {
    await refused(
      t,
      `export default { rewrites: async () => [{ source: "/a", destination: "itms-apps://apps.apple.com/x" }] };\n`,
      /rewrites\.afterFiles\[0\]\.destination "itms-apps:\/\/apps\.apple\.com\/x" must be a path starting with "\/" or an http\(s\) URL/,
    );
  });
});
