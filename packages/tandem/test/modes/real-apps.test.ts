// Causes found by running real Next.js App Router apps under Tandem (bench/compat/run.mjs --apps),
// each reduced to a small app of its own.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";

// app-dir-i18n-routing: the root layout is app/[lang]/layout.tsx, so a path that no page matches
// has no layout around its 404. Next.js then renders its default 404 in a document of its own
// (<html>, <head> with the title, <body>); Tandem answered a bare fragment.
const nestedRootLayout = createProject({
  "app/[lang]/layout.tsx": `export default async function Root({ children, params }: { children: React.ReactNode; params: Promise<{ lang: string }> }) {
  return <html lang={(await params).lang}><body>{children}</body></html>;
}
`,
  "app/[lang]/page.tsx": `export default async function Page({ params }: { params: Promise<{ lang: string }> }) {
  return <p id="lang">Current locale: {(await params).lang}</p>;
}
`,
});

// next-auth-example: Auth.js's middleware redirects to sign-in with callbackUrl=request.nextUrl.href.
// Next.js's NextURL names a local host (127.0.0.1, [::1]) localhost, so the callback does too.
const localCallback = createProject({
  "app/layout.tsx": `export default function Layout({ children }: { children: React.ReactNode }) {
  return <html lang="en"><body>{children}</body></html>;
}
`,
  "app/page.tsx": `export default function Home() {
  return <p>home</p>;
}
`,
  "middleware.ts": `import { NextResponse, type NextRequest } from "next/server";
export function middleware(request: NextRequest) {
  const signIn = request.nextUrl.clone();
  signIn.pathname = "/signin";
  signIn.searchParams.set("callbackUrl", request.nextUrl.href);
  return NextResponse.redirect(signIn);
}
export const config = { matcher: ["/private"] };
`,
});

// next-auth-example: Auth.js's middleware (`export { auth as middleware }`) answers
// `new Response(response?.body, response)` with response = NextResponse.next(). Next.js reads its
// x-middleware-next header on the copy and renders the page; Tandem's continue signal is a symbol
// on the NextResponse object (decision 0006), which the copy lacks, so the empty copy is sent.
// The fix belongs to src/app/middleware (a signal that survives the copy): todo until then.
const copiedNext = createProject({
  "app/layout.tsx": `export default function Layout({ children }: { children: React.ReactNode }) {
  return <html lang="en"><body>{children}</body></html>;
}
`,
  "app/page.tsx": `export default function Home() {
  return <h1 id="home">home page</h1>;
}
`,
  "middleware.ts": `import { NextResponse } from "next/server";
export function middleware() {
  const response = NextResponse.next();
  const copy = new Response(response?.body, response);
  copy.headers.append("set-cookie", "seen=1; Path=/");
  return copy;
}
`,
});

after(() => {
  nestedRootLayout.remove();
  localCallback.remove();
  copiedNext.remove();
});

describeModes("a root layout under a dynamic segment", nestedRootLayout.root, (app) => {
  test("the page renders in its layout", async () => {
    const response = await app().fetch("/de");
    assert.equal(response.status, 200);
    assert.match(await response.text(), /<html lang="de">[\s\S]*Current locale: <!-- -->de/);
  });

  test("a path no page matches gets the default 404 in a whole document", async () => {
    const response = await app().fetch("/de/no-such-page", { headers: { accept: "text/html" } });
    assert.equal(response.status, 404);
    const html = await response.text();
    assert.match(
      html,
      /^<!DOCTYPE html><html[^>]*><head>[\s\S]*<title>404: This page could not be found\.<\/title>[\s\S]*<\/head><body[^>]*>/i,
    );
    assert.match(html, /<body[^>]*>[\s\S]*<h1>404<\/h1><h2>This page could not be found\.<\/h2>[\s\S]*<\/body><\/html>/);
    assert.equal(html.match(/<meta name="robots"/g)?.length, 1, "one robots meta");
  });
});

describeModes("middleware reading request.nextUrl on a local host", localCallback.root, (app) => {
  test("the URL names localhost, as in Next.js", async () => {
    const response = await app().fetch("/private", { redirect: "manual" });
    assert.equal(response.status, 307);
    const location = new URL(response.headers.get("location")!, "http://localhost");
    assert.equal(location.pathname, "/signin");
    assert.match(location.searchParams.get("callbackUrl") ?? "", /^http:\/\/localhost(:\d+)?\/private$/);
  });
});

describeModes("middleware answering a copy of NextResponse.next()", copiedNext.root, (app) => {
  test("the page renders, with the copy's headers", async () => {
    const response = await app().fetch("/");
    assert.equal(response.status, 200);
    assert.match(await response.text(), /<h1 id="home">home page<\/h1>/);
    assert.match(response.headers.get("set-cookie") ?? "", /seen=1/);
    assert.equal(response.headers.get("x-tandem-middleware"), null, "the mark is not sent");
  });
});
