// A project laid out as Next.js reads it: src/app, src/middleware.ts, import paths from
// tsconfig.json (native resolution) or jsconfig.json `paths` and `baseUrl`, and a package.json
// without "type": "module" (most Next.js apps; every page answered 500 before).
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";

const withTsconfig = createProject({
  "tsconfig.json": JSON.stringify({
    compilerOptions: { baseUrl: ".", paths: { "@/*": ["./src/*"], "~shared/*": ["./shared/*"] }, jsx: "react-jsx" },
  }),
  // A root-level lib/ that `@/` must not reach once tsconfig maps it to src/.
  "lib/greet.ts": `export const greet = () => "from the root";\n`,
  "src/lib/greet.ts": `export const greet = () => "from src";\n`,
  "shared/answer.ts": `export const answer = 42;\n`,
  "src/middleware.ts": `import { NextResponse } from "next/server";
import { greet } from "@/lib/greet";
export function middleware() {
  const response = NextResponse.next();
  response.headers.set("x-greet", greet());
  return response;
}
`,
  "src/app/api/hello/route.ts": `import { greet } from "@/lib/greet";
import { answer } from "~shared/answer";
export const GET = () => Response.json({ greet: greet(), answer });
`,
  "src/app/layout.tsx": `export default function Layout({ children }: { children: React.ReactNode }) {
  return <html lang="en"><body>{children}</body></html>;
}
`,
  "src/app/page.tsx": `import { greet } from "@/lib/greet";
export default function Home() {
  return <h1 id="greet">{greet()}</h1>;
}
`,
});

const withJsconfig = createProject({
  "jsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@/*": ["./src/*"] } } }),
  "src/utils/double.js": `export const double = (n) => n * 2;\n`,
  "src/app/api/double/route.js": `import { double } from "@/utils/double";
export const GET = () => Response.json({ value: double(21) });
`,
});

const commonJsDefault = createProject({
  "package.json": JSON.stringify({ name: "cjs-default", private: true, scripts: { dev: "tandem dev" } }),
  "app/layout.tsx": `export default function Layout({ children }: { children: React.ReactNode }) {
  return <html lang="en"><body>{children}</body></html>;
}
`,
  "app/page.tsx": `export default function Home() {
  return <h1 id="home">no type field</h1>;
}
`,
  "app/api/ping/route.ts": `export const GET = () => Response.json({ pong: true });
`,
});

after(() => {
  withTsconfig.remove();
  withJsconfig.remove();
  commonJsDefault.remove();
});

describeModes("an app whose package.json has no type field", commonJsDefault.root, (app) => {
  test("pages and route handlers answer", async () => {
    const page = await app().fetch("/");
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<h1 id="home">no type field<\/h1>/);
    assert.deepEqual(await (await app().fetch("/api/ping")).json(), { pong: true });
  });
});

describeModes("src/ layout with tsconfig.json paths", withTsconfig.root, (app) => {
  test("route handlers, middleware and pages follow tsconfig paths", async () => {
    const response = await app().fetch("/api/hello");
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { greet: "from src", answer: 42 });
    assert.equal(response.headers.get("x-greet"), "from src");
    assert.match(await (await app().fetch("/")).text(), /<h1 id="greet">from src<\/h1>/);
  });
});

describeModes("jsconfig.json paths", withJsconfig.root, (app) => {
  test("a JavaScript app's @/ import follows jsconfig paths", async () => {
    assert.deepEqual(await (await app().fetch("/api/double")).json(), { value: 42 });
  });
});
