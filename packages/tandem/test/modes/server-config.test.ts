// tandem.config.ts's server settings and logging apply in `tandem dev` as in `tandem start`:
// a small bodyLimit answers 413, a short handlerTimeout 503, trustProxy builds request.url from
// the proxy's headers and takes its request id, and the access log prints a line per request.
// (The in-memory fetch handler has no HTTP server, so none of these apply to it.)
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { createTestApp } from "tandem/testing";
import { createProject } from "../support/project.js";

const project = createProject({
  "tandem.config.ts": `export default {
  server: { bodyLimit: 1024, handlerTimeout: 300, trustProxy: true },
  logging: { level: "info", accessLog: true },
};
`,
  "app/api/echo/route.ts": `import { requestId } from "tandem/server";
export async function POST(request: Request) {
  return Response.json({ bytes: (await request.text()).length, url: request.url, id: requestId(request) });
}
`,
  "app/api/slow/route.ts": `export const GET = () => new Promise<Response>((resolve) => setTimeout(() => resolve(new Response("late")), 3000));\n`,
});
after(() => project.remove());

for (const mode of ["dev", "start"] as const) {
  describe(`tandem ${mode}`, () => {
    test("bodyLimit, handlerTimeout, trustProxy and the access log from tandem.config.ts", async () => {
      const app = await createTestApp(project.root, { mode });
      try {
        const small = await app.fetch("/api/echo", {
          method: "POST",
          body: "x".repeat(1000),
          headers: { "x-forwarded-host": "shop.example", "x-forwarded-proto": "https", "x-request-id": `proxy-${mode}` },
        });
        assert.equal(small.status, 200);
        assert.deepEqual(await small.json(), { bytes: 1000, url: "https://shop.example/api/echo", id: `proxy-${mode}` });

        const big = await app.fetch("/api/echo", { method: "POST", body: "x".repeat(5000), headers: { accept: "application/json" } });
        assert.equal(big.status, 413);
        assert.equal(((await big.json()) as { error: { code: string } }).error.code, "TND_ERR_BODY_TOO_LARGE");

        const slow = await app.fetch("/api/slow", { headers: { accept: "application/json" } });
        assert.equal(slow.status, 503);
        await slow.arrayBuffer();

        let output = "";
        for (let i = 0; i < 100 && !output.includes(`proxy-${mode}`); i++) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          output = app.output();
        }
        // The access line of the first request, with the proxy's id: JSON in start, readable in dev.
        assert.match(output, new RegExp(`proxy-${mode}`));
        assert.match(output, /\/api\/echo/);
      } finally {
        await app.close();
      }
    });
  });
}

test("tandem dev stops with the field named when tandem.config.ts is invalid, as tandem start does", async () => {
  const bad = createProject({
    "tandem.config.ts": `export default { server: { trustProxy: "yes" } };\n`,
    "app/api/x/route.ts": `export const GET = () => new Response("x");\n`,
  });
  try {
    // Should it start anyway, close it: the assertion fails, and no dev server outlives the test.
    const started = createTestApp(bad.root, { mode: "dev" }).then((app) => app.close());
    await assert.rejects(started, /"server\.trustProxy" must be a boolean/);
  } finally {
    bad.remove();
  }
});
