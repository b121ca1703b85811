// A small Next.js App Router app that imports next/* modules from its own files and from a
// package in its node_modules (which declares `next` as a peer, as UI kits and next-auth do).
export const NEXT_APP: Record<string, string> = {
  "package.json": JSON.stringify({ name: "next-app", private: true, type: "module", dependencies: { "next-ui-kit": "1.0.0" } }),
  "node_modules/next-ui-kit/package.json": JSON.stringify({
    name: "next-ui-kit",
    version: "1.0.0",
    type: "module",
    exports: "./index.js",
    peerDependencies: { next: ">=15", react: ">=19" },
  }),
  "node_modules/next-ui-kit/index.js": `"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { createElement } from "react";

export function NavLink({ href, id, children }) {
  const active = usePathname() === href;
  return createElement(Link, { href, id, "data-active": String(active) }, children);
}
`,
  "app/layout.tsx": `import type { ReactNode } from "react";
import { NavLink } from "next-ui-kit";
import { Segment } from "./segment";

export default function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <nav>
          <NavLink href="/" id="nav-home">Home</NavLink>
          <NavLink href="/items/42?tab=b" id="nav-item">Item 42</NavLink>
          <Segment />
        </nav>
        {children}
      </body>
    </html>
  );
}
`,
  "app/segment.tsx": `"use client";
import { useSelectedLayoutSegment, useSelectedLayoutSegments } from "next/navigation";

export function Segment() {
  return <p id="segment">{String(useSelectedLayoutSegment())}|{useSelectedLayoutSegments().join("/")}</p>;
}
`,
  "app/page.tsx": `import Link from "next/link";
import { Buttons } from "./buttons";

export default function Home() {
  return (
    <main>
      <h1 id="title">Home</h1>
      <Link href={{ pathname: "/items/7", query: { tab: "a" } }} id="to-7">Item 7</Link>
      <Link href="/items/8" replace scroll={false} id="to-8">Item 8</Link>
      <Buttons />
    </main>
  );
}
`,
  "app/buttons.tsx": `"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";

export function Buttons() {
  const router = useRouter();
  return (
    <div>
      <button id="push" onClick={() => router.push("/items/9?tab=c")}>push</button>
      <button id="replace" onClick={() => router.replace("/items/10")}>replace</button>
      <button id="back" onClick={() => router.back()}>back</button>
      <button id="refresh" onClick={() => router.refresh()}>refresh</button>
      <Link href="/items/11" id="cancelled" onClick={(event) => event.preventDefault()}>cancelled</Link>
    </div>
  );
}
`,
  "app/items/[id]/page.tsx": `import { forbidden, notFound, permanentRedirect, redirect, unauthorized } from "next/navigation";
import { cookies, draftMode, headers } from "next/headers";
import { Where } from "./where";

export default async function Item({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (id === "0") notFound();
  if (id === "old") redirect("/items/1");
  if (id === "older") permanentRedirect("/items/1");
  if (id === "secret") forbidden();
  if (id === "private") unauthorized();
  const who = (await cookies()).get("who")?.value ?? "nobody";
  const agent = (await headers()).get("x-agent") ?? "none";
  const draft = (await draftMode()).isEnabled;
  return (
    <main>
      <h1 id="title">Item {id}</h1>
      <p id="server">{who}|{agent}|{String(draft)}|{new Date().getTime()}</p>
      <Where />
      <a href="/" id="home">home</a>
    </main>
  );
}
`,
  "app/items/[id]/where.tsx": `"use client";
import { useParams, usePathname, useSearchParams } from "next/navigation";

export function Where() {
  const params = useParams<{ id: string }>();
  return <p id="where">{usePathname()}|{useSearchParams().get("tab") ?? "-"}|{params.id}</p>;
}
`,
  "app/api/session/route.ts": `import { cookies, draftMode, headers } from "next/headers";
import { notFound, redirect, forbidden } from "next/navigation";
import { NextResponse } from "next/server";

export async function GET(request: Request) {
  const query = new URL(request.url).searchParams;
  if (query.has("missing")) notFound();
  if (query.has("away")) redirect("/items/1");
  if (query.has("deny")) forbidden();
  if (query.has("draft")) {
    (await draftMode()).enable();
    return new Response("draft on");
  }
  const jar = await cookies();
  jar.set("who", "ada");
  return NextResponse.json({ agent: (await headers()).get("x-agent"), had: jar.has("who") });
}
`,
  "app/later/page.tsx": `import dynamic from "next/dynamic";
import Script from "next/script";
import { unstable_cache, revalidatePath, revalidateTag, unstable_noStore } from "next/cache";

const Heavy = dynamic(() => import("./heavy"), { loading: () => <p id="loading">loading</p> });
let calls = 0;
const cached = unstable_cache(async (n: number) => { calls++; return n * 2; }, ["double"], { revalidate: 60, tags: ["t"] });

export default async function Later() {
  unstable_noStore();
  const first = await cached(21);
  const second = await cached(21);
  revalidatePath("/later");
  revalidateTag("t");
  return (
    <main>
      <h1 id="title">Later</h1>
      <p id="cache">{first}|{second}|{calls > 1 ? "called-through" : "cached"}</p>
      <Heavy label="heavy one" />
      <Script src="/script.js" />
      <Script id="inline">{"window.__inline = (window.__inline ?? 0) + 1;"}</Script>
    </main>
  );
}
`,
  "app/later/heavy.tsx": `export default function Heavy({ label }: { label: string }) {
  return <p id="heavy">{label}</p>;
}
`,
  "public/script.js": "window.__external = (window.__external ?? 0) + 1;\n",
};
