// Issue 18, item 7: an error's logged stack names the app's own file and line (app/.../route.ts),
// not the build's bundle (.tandem/server/index.js), in `tandem start` (Node's source-map support
// over the server build's maps) and in `tandem dev` (Vite's module runner), with the request id
// in the same line; and the maps stay on the server.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { createTestApp } from "tandem/testing";
import { createProject } from "../support/project.js";

// The throw is on line 6 of the route, column 11 (`new Error`): a mapped stack says route.ts:6:11.
const ROUTE = `import { helper } from "../../../lib/helper";

export function GET() {
  const value = helper();
  if (value > 0) {
    throw new Error("mapped to the source");
  }
  return new Response("unreachable");
}
`;

const project = createProject({
  "tandem.config.ts": `export default { logging: { level: "info" } };\n`,
  "lib/helper.ts": `export const helper = (): number => 1;\n`,
  "app/api/boom/route.ts": ROUTE,
  "app/page.tsx": `export default function Home() { return <h1>home</h1>; }\n`,
});
after(() => project.remove());

/** The text of the logged error for a request id: a JSON line in start, pretty lines in dev. */
async function loggedError(output: () => string, id: string): Promise<string> {
  for (let i = 0; i < 150; i++) {
    const text = output();
    const at = text.indexOf(`${id} GET /api/boom failed`);
    // From the start of that line: start writes one JSON line (the stack before the message).
    const from = text.lastIndexOf("\n", at) + 1;
    if (at >= 0 && /route\.ts|index\.js/.test(text.slice(from))) return text.slice(from);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no logged error for ${id} in:\n${output()}`);
}

for (const mode of ["start", "dev"] as const) {
  describe(`tandem ${mode}`, () => {
    test("the logged stack names app/api/boom/route.ts at the line that threw, beside the request id", async () => {
      const app = await createTestApp(project.root, { mode });
      try {
        const res = await app.fetch("/api/boom", { headers: { accept: "application/json" } });
        assert.equal(res.status, 500);
        const id = res.headers.get("x-request-id")!;
        assert.match(id, /^[0-9a-f-]{36}$/);
        // The id the client got is in the same line as the stack.
        const logged = await loggedError(app.output, id);
        const firstFrame = /\n\s+at .*/.exec(logged.replaceAll("\\n", "\n"))?.[0] ?? "";
        assert.match(firstFrame, /app\/api\/boom\/route\.ts:6:11\b/, `first frame: ${firstFrame}\n${logged.slice(0, 2000)}`);
        assert.doesNotMatch(firstFrame, /\.tandem\//);
      } finally {
        await app.close();
      }
    });
  });
}

test("tandem start serves no source map and no server file", async () => {
  const app = await createTestApp(project.root, { mode: "start" });
  try {
    for (const path of ["/index.js.map", "/.tandem/server/index.js.map", "/server/index.js.map", "/.tandem/server/index.js"]) {
      const res = await app.fetch(path);
      assert.equal(res.status, 404, path);
      await res.arrayBuffer();
    }
    const page = await (await app.fetch("/")).text();
    assert.doesNotMatch(page, /sourceMappingURL/);
  } finally {
    await app.close();
  }
});
