// `tandem start` with tandem.config.ts's logging and server.trustProxy: JSON access lines with
// the proxy's request id, the forwarded host in request.url, and a handler's error as JSON.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { createTestApp } from "tandem/testing";
import { createProject } from "../support/project.js";

const project = createProject({
  "tandem.config.ts": `export default { server: { trustProxy: true }, logging: { level: "info", accessLog: true } };\n`,
  "app/api/who/route.ts": `import { requestId } from "tandem/server";
export const GET = (request: Request) => Response.json({ id: requestId(request), url: request.url });
`,
  "app/api/boom/route.ts": `export const GET = () => { throw new Error("database is down"); };\n`,
});
after(() => project.remove());

test("tandem start: trustProxy and the access log from tandem.config.ts, in JSON", async () => {
  const app = await createTestApp(project.root, { mode: "start" });
  try {
    const who = await (
      await app.fetch("/api/who", {
        headers: { "x-request-id": "edge-42", "x-forwarded-host": "shop.example", "x-forwarded-proto": "https" },
      })
    ).json();
    assert.deepEqual(who, { id: "edge-42", url: "https://shop.example/api/who" });
    const boom = await app.fetch("/api/boom", { headers: { "x-request-id": "edge-43", accept: "application/json" } });
    assert.equal(boom.status, 500);
    let lines: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 100 && !lines.some((l) => l.reqId === "edge-43"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      lines = app
        .output()
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line));
    }
    assert.ok(lines.some((l) => l.msg === "request" && l.reqId === "edge-42" && l.path === "/api/who" && l.status === 200));
    assert.ok(lines.some((l) => l.msg === "request" && l.reqId === "edge-43" && l.status === 500));
    const error = lines.find((l) => l.level === 50);
    assert.ok(error, "the handler's error is a JSON line");
    assert.match(String(error.msg), /edge-43 GET \/api\/boom failed/);
    assert.match((error.err as { stack: string }).stack, /database is down/);
  } finally {
    await app.close();
  }
});

test("a bad logging or trustProxy value stops tandem start with the field named", async () => {
  const bad = createProject({
    "tandem.config.ts": `export default { logging: { level: "loud" } };\n`,
    "app/api/x/route.ts": `export const GET = () => new Response("x");\n`,
  });
  try {
    await assert.rejects(
      createTestApp(bad.root, { mode: "start" }),
      /"logging\.level" must be one of fatal, error, warn, info, debug, trace, silent, got "loud"/,
    );
    bad.write("tandem.config.ts", `export default { server: { trustProxy: "yes" } };\n`);
    await assert.rejects(createTestApp(bad.root, { mode: "start" }), /"server\.trustProxy" must be a boolean/);
  } finally {
    bad.remove();
  }
});
