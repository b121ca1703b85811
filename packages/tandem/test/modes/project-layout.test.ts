// A project laid out as Next.js reads it: src/app, src/middleware.ts, and import paths from
// tsconfig.json (native resolution) or jsconfig.json `paths` and `baseUrl`.
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

after(() => {
  withTsconfig.remove();
  withJsconfig.remove();
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
