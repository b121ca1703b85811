// Cache-Control on pages, as the differential comparison with Next.js 16.4.6 found it: Next.js marks
// every dynamically rendered page, its RSC payload and its 404 page
// `private, no-cache, no-store, max-age=0, must-revalidate`, so that no shared cache keeps a page
// rendered for one user. Tandem sent none on HTML (a CDN with heuristics could store it).
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";

const NEXT_DYNAMIC = "private, no-cache, no-store, max-age=0, must-revalidate";

const project = createProject({
  "app/layout.tsx": `export default function Layout({ children }: { children: React.ReactNode }) {
  return <html lang="en"><body>{children}</body></html>;
}
`,
  "app/page.tsx": `import { headers } from "next/headers";
export default async function Page() {
  return <h1>hello {(await headers()).get("user-agent")}</h1>;
}
`,
  "app/own/page.tsx": `export const dynamic = "force-dynamic";
export default function Page() {
  return <h1>own</h1>;
}
`,
  "app/prerendered/page.tsx": `export const dynamic = "force-static";
export default function Page() {
  return <h1>prerendered</h1>;
}
`,
  "app/gone/page.tsx": `import { notFound } from "next/navigation";
export const dynamic = "force-dynamic";
export default function Page() {
  notFound();
}
`,
  "middleware.ts": `import { NextResponse } from "next/server";
export function middleware() {
  return NextResponse.next({ headers: { "cache-control": "public, max-age=60" } });
}
export const config = { matcher: ["/own"] };
`,
});

// No pages: unknown paths get the app's own small 404 page (or JSON), notFound() in a handler too.
const routesOnly = createProject({
  "app/api/gone/route.ts": `import { notFound } from "next/navigation";
export function GET() {
  notFound();
}
`,
});

after(() => {
  project.remove();
  routesOnly.remove();
});

describeModes("Cache-Control on pages", project.root, (app, mode) => {
  test("a dynamically rendered page and its RSC payload are private and not stored, as in Next.js", async () => {
    const html = await app().fetch("/");
    assert.equal(html.status, 200);
    assert.equal(html.headers.get("cache-control"), NEXT_DYNAMIC);
    await html.text();
    const rsc = await app().fetch("/", { headers: { "x-tandem-rsc": "1" } });
    assert.equal(rsc.status, 200);
    assert.equal(rsc.headers.get("cache-control"), NEXT_DYNAMIC);
    await rsc.text();
  });

  test("the 404 page, for an unknown path and from notFound(), carries the same header", async () => {
    for (const path of ["/no-such-page", "/gone"]) {
      const response = await app().fetch(path, { headers: { accept: "text/html" } });
      assert.equal(response.status, 404, path);
      assert.equal(response.headers.get("cache-control"), NEXT_DYNAMIC, path);
      await response.text();
    }
  });

  test("a Cache-Control the app sets from middleware wins", async () => {
    const response = await app().fetch("/own");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("cache-control"), "public, max-age=60");
    await response.text();
  });

  if (mode !== "dev") {
    test("a prerendered (force-static) page keeps revalidating caches, not Next.js's one-year s-maxage", async () => {
      const response = await app().fetch("/prerendered");
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("x-tandem-static"), "1");
      assert.equal(response.headers.get("cache-control"), "public, max-age=0, must-revalidate");
      await response.text();
    });
  }
});

describeModes("Cache-Control on 404s of an app without pages", routesOnly.root, (app) => {
  test("an unknown path answers Next.js's uncacheable 404, as HTML or JSON", async () => {
    for (const accept of ["text/html", "application/json"]) {
      const response = await app().fetch("/no-such-page", { headers: { accept } });
      assert.equal(response.status, 404, accept);
      assert.equal(response.headers.get("cache-control"), NEXT_DYNAMIC, accept);
      await response.text();
    }
  });

  test("notFound() in a route handler adds no Cache-Control, as in Next.js", async () => {
    const response = await app().fetch("/api/gone");
    assert.equal(response.status, 404);
    assert.equal(response.headers.get("cache-control"), null);
    await response.text();
  });
});
