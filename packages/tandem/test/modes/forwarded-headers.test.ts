// X-Forwarded-Host, -Port, -Proto and -For on the request an app gets, as Next.js adds them (found
// by the differential comparison with Next.js, bench/compat app-middleware): in a route handler,
// in next/headers' headers() in a page and in middleware. Without trustProxy a client's own
// values are replaced by the connection's. Over real HTTP in every mode (memory mode's listening
// server included); an in-memory `app.fetch(request)` has no connection and passes its Request as given.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";

const pick = `Object.fromEntries([...source].filter(([name]) => name.startsWith("x-forwarded-") || name === "x-seen-in-middleware"))`;

const project = createProject({
  "middleware.ts": `import { NextResponse, type NextRequest } from "next/server";

export function middleware(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set("x-seen-in-middleware", request.headers.get("x-forwarded-for") ?? "none");
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ["/page"] };
`,
  "app/layout.tsx": `export default function Layout({ children }: { children: React.ReactNode }) {
  return <html><body>{children}</body></html>;
}
`,
  "app/page/page.tsx": `import { headers } from "next/headers";

export default async function Page() {
  const source = await headers();
  return <pre id="seen">{JSON.stringify(${pick})}</pre>;
}
`,
  "app/api/seen/route.ts": `export function GET(request: Request) {
  const source = request.headers;
  return Response.json(${pick});
}
`,
});

after(() => project.remove());

describeModes("X-Forwarded-* on the app's request", project.root, (app, mode) => {
  const over = async (path: string, headers: Record<string, string> = {}): Promise<Response> => {
    const url = new URL(path, await app().url());
    return fetch(url, { headers });
  };

  test("a route handler sees the connection's host, port, scheme and address", async () => {
    const url = new URL(await app().url());
    const response = await over("/api/seen");
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {
      "x-forwarded-for": "127.0.0.1",
      "x-forwarded-host": url.host,
      "x-forwarded-port": url.port,
      "x-forwarded-proto": "http",
    });
  });

  test("a client's forged values are replaced without trustProxy", async () => {
    const url = new URL(await app().url());
    const response = await over("/api/seen", {
      "x-forwarded-for": "203.0.113.9",
      "x-forwarded-host": "evil.test",
      "x-forwarded-proto": "https",
    });
    const seen = (await response.json()) as Record<string, string>;
    assert.equal(seen["x-forwarded-for"], "127.0.0.1");
    assert.equal(seen["x-forwarded-host"], url.host);
    assert.equal(seen["x-forwarded-proto"], "http");
  });

  test("middleware and headers() in a page see them too", async () => {
    const url = new URL(await app().url());
    const html = await (await over("/page", { accept: "text/html", "x-forwarded-for": "203.0.113.9" })).text();
    const text = /<pre id="seen">([^<]*)<\/pre>/.exec(html)?.[1]?.replaceAll("&quot;", '"');
    assert.ok(text !== undefined, html);
    assert.deepEqual(JSON.parse(text), {
      "x-forwarded-for": "127.0.0.1",
      "x-forwarded-host": url.host,
      "x-forwarded-port": url.port,
      "x-forwarded-proto": "http",
      "x-seen-in-middleware": "127.0.0.1",
    });
  });

  test("app.fetch in memory passes its Request as given; over HTTP the connection's values count", async () => {
    const response = await app().fetch("/api/seen", { headers: { "x-forwarded-for": "198.51.100.7" } });
    const seen = (await response.json()) as Record<string, string>;
    if (mode === "memory") assert.deepEqual(seen, { "x-forwarded-for": "198.51.100.7" });
    else assert.equal(seen["x-forwarded-for"], "127.0.0.1");
  });
});
