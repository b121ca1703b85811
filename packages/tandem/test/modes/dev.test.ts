// What only `tandem dev` does, each found by using it: files added while it runs, what its HTML
// carries, and a quiet log.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { createTestApp } from "tandem/testing";
import { createProject } from "../support/project.js";

const projects: Array<{ remove(): void }> = [];
after(() => {
  for (const project of projects) project.remove();
});

async function untilOk(fetchIt: () => Promise<Response>, what: string): Promise<Response> {
  // The watcher reports the new file asynchronously; ask again until the app has it (bounded).
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await fetchIt();
    if (response.status === 200) return response;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`${what} never answered 200`);
}

test("the first page.tsx added to a running dev server renders without a restart", async () => {
  const project = createProject({ "app/api/ping/route.ts": `export const GET = () => Response.json({ pong: true });\n` });
  projects.push(project);
  const app = await createTestApp(project.root, { mode: "dev" });
  try {
    assert.deepEqual(await (await app.fetch("/api/ping")).json(), { pong: true });
    assert.equal((await app.fetch("/")).status, 404);
    project.write(
      "app/layout.tsx",
      `export default function Layout({ children }: { children: React.ReactNode }) {\n  return <html><body>{children}</body></html>;\n}\n`,
    );
    project.write("app/page.tsx", `export default function Home() {\n  return <h1>Added while running</h1>;\n}\n`);
    const page = await untilOk(() => app.fetch("/"), "the new page");
    assert.match(await page.text(), /<h1>Added while running<\/h1>/);
  } finally {
    await app.close();
  }
});

test("dev HTML carries no server source: a URL in metadata is not sent as node's URL class", async () => {
  const project = createProject({
    "app/layout.tsx": `export const metadata = { metadataBase: new URL("https://example.test"), title: "Dev" };
export default function Layout({ children }: { children: React.ReactNode }) {
  return <html><body>{children}</body></html>;
}
`,
    "app/page.tsx": `export const metadata = { alternates: { canonical: "/home" } };\nexport default function Home() {\n  return <h1>Home</h1>;\n}\n`,
  });
  projects.push(project);
  const app = await createTestApp(project.root, { mode: "dev" });
  try {
    const html = await (await app.fetch("/")).text();
    assert.match(html, /<link rel="canonical" href="https:\/\/example.test\/home"\/>/);
    assert.doesNotMatch(html, /class URL/);
    assert.doesNotMatch(html, /URLContext/);
    // The log of a clean app holds no warning (Vite's "cannot be analyzed", source maps, ...).
    assert.doesNotMatch(app.output(), /warn|error|sourcemap|cannot be analyzed/i, app.output());
  } finally {
    await app.close();
  }
});

test("an edit re-evaluates the edited module and its importers, not every module", async () => {
  // Module state outside the edited file's importer chain survives an edit (a database pool, a
  // cache): a full reload of the module runner would open a new pool on every save.
  const project = createProject({
    "lib/state.ts": `export const loadedAt = \`\${Date.now()}-\${Math.random()}\`;\n`,
    "app/api/state/route.ts": `import { loadedAt } from "../../../lib/state";\nexport const GET = () => Response.json({ loadedAt });\n`,
    "app/api/edited/route.ts": `export const GET = () => Response.json({ version: 0 });\n`,
  });
  projects.push(project);
  const app = await createTestApp(project.root, { mode: "dev" });
  try {
    const before = (await (await app.fetch("/api/state")).json()) as { loadedAt: string };
    project.write("app/api/edited/route.ts", `export const GET = () => Response.json({ version: 1 });\n`);
    for (let attempt = 0; ; attempt++) {
      const body = (await (await app.fetch("/api/edited")).json()) as { version: number };
      if (body.version === 1) break;
      assert.ok(attempt < 100, "the edit was never served");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.deepEqual(await (await app.fetch("/api/state")).json(), before);
    // An edit inside the chain does re-evaluate it.
    project.write("lib/state.ts", `export const loadedAt = "edited";\n`);
    for (let attempt = 0; ; attempt++) {
      const body = (await (await app.fetch("/api/state")).json()) as { loadedAt: string };
      if (body.loadedAt === "edited") break;
      assert.ok(attempt < 100, "the edit of lib/state.ts was never served");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await app.close();
  }
});

test("every save of a route file in a page app is served, however close the saves", async () => {
  // An edit is served within a few ms, so the next save can follow within the watcher's 50 ms
  // change throttle (an editor's write and then its formatter's do the same): that save was
  // never seen, and the route kept answering the one before (or, caught mid-write, a 405).
  const project = createProject({
    "app/api/v/route.ts": `export const GET = () => Response.json({ v: 0 });\n`,
    "app/layout.tsx": `export default function Layout({ children }: { children: React.ReactNode }) {\n  return <html><body>{children}</body></html>;\n}\n`,
    "app/page.tsx": `export default function Home() {\n  return <h1>Home</h1>;\n}\n`,
  });
  projects.push(project);
  const app = await createTestApp(project.root, { mode: "dev" });
  try {
    assert.match(await (await app.fetch("/")).text(), /Home/);
    const lost: Array<{ save: number; served: string }> = [];
    for (let save = 1; save <= 20; save++) {
      project.write("app/api/v/route.ts", `export const GET = () => Response.json({ v: ${save} });\n`);
      const expected = JSON.stringify({ v: save });
      for (let attempt = 0; ; attempt++) {
        const served = await (await app.fetch("/api/v")).text();
        if (served === expected) break;
        if (attempt === 150) {
          lost.push({ save, served });
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    assert.deepEqual(lost, []);
  } finally {
    await app.close();
  }
});
