// next.config.js|mjs|ts in every mode: redirects, rewrites (beforeFiles, afterFiles, fallback,
// another origin), headers, env, serverExternalPackages, basePath and trailingSlash both ways,
// and the one-line report of each key Tandem does not read.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { after, describe, test, type TestContext } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, needChromium } from "tandem-test-support/services";
import { pathToFileURL } from "node:url";
import { loadNextConfig } from "../../src/build/next-config.js";
import { createRuntime } from "../../src/runtime/create-runtime.js";
import type { ServerBuild } from "../../src/app/server-build.js";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";

// The other origin of the proxy rewrite: a real server, listening before the config names its port.
const upstream: Server = createServer((req, res) => {
  res.setHeader("content-type", "application/json");
  res.setHeader("x-upstream", "yes");
  res.end(JSON.stringify({ path: req.url, method: req.method, forwardedHost: req.headers["x-forwarded-host"] ?? null }));
});
await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
const upstreamPort = (upstream.address() as { port: number }).port;
// A port nothing listens on: the rewrite to it must fail with 502, not crash or hang.
const closed = createServer();
await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
const closedPort = (closed.address() as { port: number }).port;
await new Promise<void>((resolve) => closed.close(() => resolve()));

const json = (body: string): string => `export const GET = (request: Request) => {
  const url = new URL(request.url);
  return Response.json({ ${body} });
};
`;

const routing = createProject({
  "package.json": JSON.stringify({ name: "with-next-config", private: true, type: "module", dependencies: { "ext-pkg": "1.0.0" } }),
  // A package that depends on next: Tandem would bundle it, unless serverExternalPackages says not to.
  "node_modules/ext-pkg/package.json": JSON.stringify({
    name: "ext-pkg",
    version: "1.0.0",
    type: "module",
    main: "index.js",
    peerDependencies: { next: "*" },
  }),
  "node_modules/ext-pkg/index.js": "export const where = import.meta.url;\n",
  "next.config.mjs": `/** @type {import('next').NextConfig} */
export default {
  reactStrictMode: true,
  someTypo: 1,
  env: { APP_GREETING: "hello from next.config" },
  serverExternalPackages: ["ext-pkg"],
  images: { remotePatterns: [{ hostname: "example.com" }], loaderFile: "./image-loader.js" },
  async redirects() {
    return [
      { source: "/old-blog/:slug", destination: "/blog/:slug", permanent: true },
      { source: "/temp", destination: "/api/hello", permanent: false },
      { source: "/see-other", destination: "/api/hello?from=see-other", statusCode: 303 },
      { source: "/plan", has: [{ type: "query", key: "tier", value: "(?<tier>pro|team)" }], destination: "/plans/:tier", permanent: false },
      { source: "/ref", has: [{ type: "cookie", key: "ref" }], destination: "/from/:ref", permanent: false },
      { source: "/gated", has: [{ type: "cookie", key: "member", value: "(yes|true)" }], destination: "/api/hello", permanent: false },
    ];
  },
  async rewrites() {
    return {
      beforeFiles: [
        { source: "/api/hello", has: [{ type: "query", key: "shadow" }], destination: "/api/shadow" },
        { source: "/proxy/:path*", destination: "http://127.0.0.1:${upstreamPort}/up/:path*" },
        { source: "/down/:path*", destination: "http://127.0.0.1:${closedPort}/:path*" },
      ],
      afterFiles: [
        { source: "/posts/:slug", destination: "/blog/:slug?via=rewrite" },
        { source: "/plain", destination: "/api/never" },
        { source: "/blog/special", destination: "/api/shadow" },
        { source: "/items/:id", destination: "/api/item" },
        { source: "/json-in", destination: "/api/echo?via=rewrite" },
      ],
      fallback: [{ source: "/legacy/:path*", destination: "/api/fallback?was=:path*" }],
    };
  },
  async headers() {
    return [
      { source: "/blog/:slug", headers: [{ key: "x-blog", value: "slug=:slug" }] },
      { source: "/api/:path*", headers: [{ key: "x-api", value: "yes" }, { key: "x-own", value: "from config" }, { key: "vary", value: "x-config" }] },
      { source: "/", headers: [{ key: "x-frame-options", value: "DENY" }] },
      { source: "/temp", headers: [{ key: "x-temp", value: "1" }] },
    ];
  },
};
`,
  "app/layout.tsx": `export default function Layout({ children }: { children: React.ReactNode }) {
  return <html lang="en"><body>{children}</body></html>;
}
`,
  "app/page.tsx": `export default function Home() {
  return <h1 id="greeting">{process.env.APP_GREETING}</h1>;
}
`,
  "app/blog/[slug]/route.ts": `export const GET = async (request: Request, { params }: { params: Promise<{ slug: string }> }) =>
  Response.json({ route: "blog", slug: (await params).slug, search: new URL(request.url).search });
`,
  "app/plain/route.ts": json(`route: "plain"`),
  "app/api/hello/route.ts": json(`route: "hello", greeting: process.env.APP_GREETING, search: url.search`),
  "app/api/own/route.ts": `export const GET = () => Response.json({}, { headers: { "x-own": "from the handler", vary: "x-handler" } });\n`,
  "app/api/shadow/route.ts": json(`route: "shadow"`),
  "app/api/item/route.ts": json(`route: "item", id: url.searchParams.get("id")`),
  "app/api/fallback/route.ts": json(`route: "fallback", was: url.searchParams.get("was")`),
  "app/api/echo/route.ts": `export const POST = async (request: Request) => Response.json({ body: await request.json(), via: new URL(request.url).searchParams.get("via") });\n`,
  "app/api/ext/route.ts": `import { where } from "ext-pkg";\nexport const GET = () => Response.json({ where });\n`,
});

const based = createProject({
  "package.json": JSON.stringify({ name: "with-base-path", private: true }),
  // TypeScript, the form create-next-app writes, with a type-only import of next.
  "next.config.ts": `import type { NextConfig } from "next";

const config: NextConfig = {
  basePath: "/docs",
  trailingSlash: true,
  async redirects() {
    return [
      { source: "/old", destination: "/about", permanent: true },
      { source: "/outside", destination: "/elsewhere", permanent: false, basePath: false },
    ];
  },
};

export default config;
`,
  "app/layout.tsx": `export default function Layout({ children }: { children: React.ReactNode }) {
  return <html lang="en"><body>{children}</body></html>;
}
`,
  "app/page.tsx": `import Link from "next/link";
export default function Home() {
  return <main><h1 id="home">home</h1><Link id="to-about" href="/about">About</Link></main>;
}
`,
  "app/about/page.tsx": `export default function About() {
  return <h1 id="about">about</h1>;
}
`,
  "app/api/where/route.ts": `export const GET = (request: Request) => Response.json({ pathname: new URL(request.url).pathname });\n`,
  "app/api/go/route.ts": `import { redirect } from "next/navigation";\nexport const GET = () => redirect("/about/");\n`,
  "public/notes.txt": "notes\n",
  "app/echo/socket.ts": `import { defineSocket } from "tandem/realtime";
export default defineSocket({
  message(peer, message) {
    peer.send("echo:" + String(message));
  },
});
`,
});

let browser: Browser | undefined;

async function open(t: TestContext, url: string): Promise<Page | undefined> {
  if (!(await needChromium(t))) return undefined;
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("response", (response) => {
    if (response.status() >= 400 && new URL(response.url()).pathname !== "/favicon.ico")
      errors.push(`${response.status()} ${response.url()}`);
  });
  t.after(() => assert.deepEqual(errors, [], "no page errors"));
  await page.goto(url);
  await page.waitForFunction(() => Object.keys(document).some((key) => key.startsWith("__reactContainer")));
  return page;
}

after(async () => {
  await browser?.close();
  upstream.close();
  routing.remove();
  based.remove();
});

describeModes("next.config routing", routing.root, (app, mode) => {
  test("redirects: permanent 308, temporary 307, statusCode, params and the query passed on", async () => {
    const permanent = await app().fetch("/old-blog/hello?x=1");
    assert.equal(permanent.status, 308);
    assert.equal(permanent.headers.get("location"), "/blog/hello?x=1");
    const temporary = await app().fetch("/temp");
    assert.equal(temporary.status, 307);
    assert.equal(temporary.headers.get("location"), "/api/hello");
    const seeOther = await app().fetch("/see-other?a=b");
    assert.equal(seeOther.status, 303);
    assert.equal(seeOther.headers.get("location"), "/api/hello?a=b&from=see-other");
  });

  test("a redirect with has applies only when the request matches", async () => {
    const member = await app().fetch("/gated", { headers: { cookie: "member=yes" } });
    assert.equal(member.status, 307);
    assert.equal((await app().fetch("/gated", { headers: { cookie: "member=no" } })).status, 404);
    assert.equal((await app().fetch("/gated")).status, 404);
  });

  test("values captured by has fill the destination", async () => {
    const plan = await app().fetch("/plan?tier=pro");
    assert.equal(plan.headers.get("location"), "/plans/pro?tier=pro");
    assert.equal((await app().fetch("/plan?tier=free")).status, 404);
    assert.equal((await app().fetch("/ref", { headers: { cookie: "ref=news" } })).headers.get("location"), "/from/news");
  });

  test("rewrites: afterFiles to a dynamic route with params, the destination's query merged", async () => {
    const response = await app().fetch("/posts/first?x=1");
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { route: "blog", slug: "first", search: "?x=1&via=rewrite" });
    // Params the destination does not use go to the query (Next.js).
    assert.deepEqual(await (await app().fetch("/items/7")).json(), { route: "item", id: "7" });
  });

  test("afterFiles rewrites come after static routes and before dynamic ones", async () => {
    assert.deepEqual(await (await app().fetch("/plain")).json(), { route: "plain" });
    // /blog/[slug] would match "/blog/special" too, but the afterFiles rewrite comes first.
    assert.equal((await (await app().fetch("/blog/special")).json()).route, "shadow");
    assert.equal((await (await app().fetch("/blog/kept")).json()).route, "blog");
  });

  test("a rewritten POST keeps its body and the safe JSON parser", async () => {
    const post = (body: string) =>
      app().fetch("/json-in", { method: "POST", body, headers: { "content-type": "application/json", accept: "application/json" } });
    assert.deepEqual(await (await post('{"a":1}')).json(), { body: { a: 1 }, via: "rewrite" });
    assert.equal((await post('{"__proto__":{"polluted":true}}')).status, 400);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test("beforeFiles rewrites come before the routes; fallback after every route", async () => {
    assert.equal((await (await app().fetch("/api/hello?shadow=1")).json()).route, "shadow");
    assert.equal((await (await app().fetch("/api/hello")).json()).route, "hello");
    assert.deepEqual(await (await app().fetch("/legacy/a/b")).json(), { route: "fallback", was: "a/b" });
    assert.equal((await app().fetch("/nowhere")).status, 404);
  });

  test("a rewrite to another origin is proxied; an origin that is down answers 502", async () => {
    const response = await app().fetch("/proxy/a/b?q=1");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("x-upstream"), "yes");
    const body = (await response.json()) as { path: string; method: string; forwardedHost: string | null };
    assert.equal(body.path, "/up/a/b?q=1");
    assert.notEqual(body.forwardedHost, null);
    const down = await app().fetch("/down/x", { headers: { accept: "application/json" } });
    assert.equal(down.status, 502);
    assert.equal((await down.json()).error.code, "TND_ERR_REWRITE_PROXY");
  });

  test("headers on a route handler, a page and a redirect; next.config's value wins over a handler's", async () => {
    const blog = await app().fetch("/blog/one");
    assert.equal(blog.headers.get("x-blog"), "slug=one");
    const api = await app().fetch("/api/hello");
    assert.equal(api.headers.get("x-api"), "yes");
    assert.equal(api.headers.get("x-own"), "from config");
    // As Next.js 16 (send-response.js): a header next.config sets keeps its value on a route
    // handler's answer; Vary (like Set-Cookie) gets both, the config's first.
    const own = await app().fetch("/api/own");
    assert.equal(own.headers.get("x-own"), "from config");
    assert.equal(own.headers.get("vary"), "x-config, x-handler");
    const page = await app().fetch("/", { headers: { accept: "text/html" } });
    assert.equal(page.status, 200);
    assert.equal(page.headers.get("x-frame-options"), "DENY");
    // Headers are checked before redirects, so they reach the redirect too.
    const redirect = await app().fetch("/temp");
    assert.equal(redirect.status, 307);
    assert.equal(redirect.headers.get("x-temp"), "1");
  });

  test("trailingSlash false (the default): /a/ redirects to /a", async () => {
    const response = await app().fetch("/api/hello/?q=1");
    assert.equal(response.status, 308);
    assert.equal(response.headers.get("location"), "/api/hello?q=1");
  });

  test("env is inlined in route handlers and pages", async () => {
    assert.equal((await (await app().fetch("/api/hello")).json()).greeting, "hello from next.config");
    assert.match(
      await (await app().fetch("/", { headers: { accept: "text/html" } })).text(),
      /<h1 id="greeting">hello from next.config<\/h1>/,
    );
  });

  test("serverExternalPackages stay with Node instead of the bundle", async () => {
    const { where } = (await (await app().fetch("/api/ext")).json()) as { where: string };
    assert.match(where, /\/node_modules\/ext-pkg\/index\.js$/);
    if (mode !== "dev") {
      const dir = join(routing.root, ".tandem", "server");
      const code = readdirSync(dir, { recursive: true, encoding: "utf8" })
        .filter((file) => file.endsWith(".js"))
        .map((file) => readFileSync(join(dir, file), "utf8"))
        .join("\n");
      assert.match(code, /from "ext-pkg"/);
    }
  });

  test("each key Tandem does not read is reported once, naming it", async () => {
    if (mode === "memory") return; // the memory runtime logs to this process: checked below
    // `tandem start` logs JSON lines, where the quotes around the key are escaped.
    const output = app().output();
    const lines = (key: string): number => output.match(new RegExp(`next\\.config\\.mjs: \\\\?"${key}\\\\?"`, "g"))?.length ?? 0;
    for (const key of ["reactStrictMode", "someTypo", "images.loaderFile"])
      assert.equal(lines(key), 1, `one line for ${key} in:\n${output}`);
    for (const key of ["redirects", "rewrites", "headers", "env", "serverExternalPackages"]) assert.equal(lines(key), 0, key);
  });
});

describe("next.config's report in memory", () => {
  test("the runtime logs one warning per unread key when it starts", async () => {
    // Reuses the build the memory suite made above (describe blocks run in order).
    const build = (await import(
      `${pathToFileURL(join(routing.root, ".tandem", "server", "index.js")).href}?t=${Date.now()}`
    )) as ServerBuild;
    const warned: string[] = [];
    const logger = { warn: (line: string) => void warned.push(line), error: () => {}, info: () => {} };
    const runtime = await createRuntime({ root: routing.root, build, logger });
    await runtime.close();
    assert.deepEqual(warned, [
      "next.config.mjs: \"reactStrictMode\" is not read: Tandem does not add <React.StrictMode>; wrap the root layout's children in it for React's dev checks",
      'next.config.mjs: "someTypo" is not a key Tandem reads; it has no effect',
      'next.config.mjs: "images.loaderFile" is not read; pass a `loader` prop to <Image> instead',
    ]);
  });
});

describeModes("next.config basePath with trailingSlash", based.root, (app) => {
  test("pages and route handlers answer below basePath, with the trailing slash", async () => {
    const home = await app().fetch("/docs/", { headers: { accept: "text/html" } });
    assert.equal(home.status, 200);
    const html = await home.text();
    assert.match(html, /<h1 id="home">home<\/h1>/);
    assert.match(html, /<a id="to-about" href="\/docs\/about\/">About<\/a>/);
    assert.equal((await app().fetch("/docs/about/", { headers: { accept: "text/html" } })).status, 200);
    assert.deepEqual(await (await app().fetch("/docs/api/where/")).json(), { pathname: "/api/where" });
  });

  test("trailingSlash true: /a redirects to /a/, a file name loses its slash", async () => {
    for (const [from, to] of [
      ["/docs", "/docs/"],
      ["/docs/about?x=1", "/docs/about/?x=1"],
      ["/docs/notes.txt/", "/docs/notes.txt"],
    ]) {
      const response = await app().fetch(from!);
      assert.equal(response.status, 308, from);
      assert.equal(response.headers.get("location"), to, from);
    }
  });

  test("public files and built assets are served below basePath", async () => {
    assert.equal(await (await app().fetch("/docs/notes.txt")).text(), "notes\n");
    const html = await (await app().fetch("/docs/", { headers: { accept: "text/html" } })).text();
    // The browser entry (imported inline) and the preloaded chunks; dev serves them through Vite.
    const urls = [...html.matchAll(/import\("([^"]+)"\)|rel="modulepreload" href="([^"]+)"/g)].map((m) => (m[1] ?? m[2])!);
    assert.ok(urls.length > 0, html);
    for (const url of urls) {
      assert.ok(url.startsWith("/docs/"), url);
      assert.equal((await app().fetch(url)).status, 200, url);
    }
  });

  test("in Chromium: the page hydrates from basePath and its Link navigates below it", async (t) => {
    const page = await open(t, `${await app().url()}/docs/`);
    if (page === undefined) return;
    const documents: string[] = [];
    page.on("request", (request) => {
      if (request.resourceType() === "document") documents.push(new URL(request.url()).pathname);
    });
    await page.click("#to-about");
    await page.waitForSelector("#about");
    assert.equal(new URL(page.url()).pathname, "/docs/about/");
    assert.deepEqual(documents, [], "navigated on the client");
  });

  test("paths outside basePath are not found; redirects get basePath unless basePath: false", async () => {
    assert.equal((await app().fetch("/about/")).status, 404);
    assert.equal((await app().fetch("/api/where/")).status, 404);
    const old = await app().fetch("/docs/old/");
    assert.equal(old.status, 308);
    assert.equal(old.headers.get("location"), "/docs/about");
    const outside = await app().fetch("/outside/");
    assert.equal(outside.status, 307);
    assert.equal(outside.headers.get("location"), "/elsewhere");
    // redirect() from next/navigation: the same-origin URL it makes gets basePath back.
    const go = await app().fetch("/docs/api/go/");
    assert.equal(go.status, 307);
    assert.equal(new URL(go.headers.get("location")!).pathname, "/docs/about/");
  });
});

describeModes("next.config basePath and WebSocket routes", based.root, (app) => {
  test("a socket route answers below basePath only", async () => {
    const ws = await app().socket("/docs/echo");
    const reply = new Promise<string>((resolve) => ws.once("message", (data) => resolve(String(data))));
    ws.send("hi");
    assert.equal(await reply, "echo:hi");
    await assert.rejects(app().socket("/echo"), /answered 404/);
  });
});

const edited = createProject({
  "next.config.mjs": `export default { redirects: async () => [{ source: "/a", destination: "/b", permanent: false }] };\n`,
  "app/api/ok/route.ts": `export const GET = () => Response.json({ ok: true });\n`,
});
after(() => edited.remove());

describeModes(
  "tandem dev and an edited next.config",
  edited.root,
  (app) => {
    test("the server restarts with the new rules, as next dev does", async () => {
      assert.equal((await app().fetch("/a")).headers.get("location"), "/b");
      edited.write(
        "next.config.mjs",
        `export default { typo: 1, redirects: async () => [{ source: "/a", destination: "/c", permanent: false }] };\n`,
      );
      const deadline = Date.now() + 30_000;
      let location: string | null = "/b";
      while (location === "/b" && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        location = (await app().fetch("/a")).headers.get("location");
      }
      assert.equal(location, "/c");
      assert.deepEqual(await (await app().fetch("/api/ok")).json(), { ok: true });
      assert.match(app().output(), /next\.config\.mjs: "typo" is not a key Tandem reads/);
    });
  },
  { modes: ["dev"] },
);

describe("next.config errors", () => {
  test("an invalid entry stops with TND_ERR_NEXT_CONFIG naming the key", async (t) => {
    const bad = createProject({
      "next.config.mjs": `export default { async redirects() { return [{ source: "/a", destination: "/b" }]; } };\n`,
    });
    t.after(() => bad.remove());
    await assert.rejects(loadNextConfig(bad.root, "build"), (error: Error & { code?: string }) => {
      assert.equal(error.code, "TND_ERR_NEXT_CONFIG");
      assert.match(
        error.message,
        /next\.config\.mjs: redirects\[0\] needs either "permanent" \(true or false\) or "statusCode", not neither/,
      );
      return true;
    });
  });

  test("a bad source pattern and a destination param the source lacks are refused", async (t) => {
    const bad = createProject({
      "next.config.js": `module.exports = { rewrites: () => [{ source: "/a/:id", destination: "/b/:slug" }] };\n`,
      "package.json": JSON.stringify({ name: "cjs-config", private: true }),
    });
    t.after(() => bad.remove());
    await assert.rejects(
      loadNextConfig(bad.root, "build"),
      /next\.config\.js: rewrites\.afterFiles\[0\]\.destination uses ":slug", which neither "\/a\/:id" nor its has entries capture/,
    );
    // Another project: Node keeps a CommonJS module per file name, whatever the import's query.
    const pattern = createProject({
      "next.config.mjs": `export default { headers: async () => [{ source: "/a/(", headers: [{ key: "x", value: "y" }] }] };\n`,
    });
    t.after(() => pattern.remove());
    await assert.rejects(
      loadNextConfig(pattern.root, "build"),
      /next\.config\.mjs: headers\[0\]\.source "\/a\/\(" is not a valid path pattern/,
    );
  });

  test("a function export gets the phase; basePath is checked", async (t) => {
    const fn = createProject({
      "next.config.mjs": `export default (phase) => ({ basePath: phase === "phase-production-build" ? "/b" : "/d" });\n`,
    });
    t.after(() => fn.remove());
    assert.equal((await loadNextConfig(fn.root, "build"))?.routing.basePath, "/b");
    assert.equal((await loadNextConfig(fn.root, "dev"))?.routing.basePath, "/d");
    fn.write("next.config.mjs", `export default { basePath: "/docs/" };\n`);
    await assert.rejects(loadNextConfig(fn.root, "build"), /"basePath" must start with "\/" and not end with one/);
  });
});
