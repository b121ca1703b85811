// Request ids in every mode, across an action and a job: the id a Server Action sees is the one
// the access log prints (and, behind a trusted proxy, the proxy's X-Request-Id); a job enqueued
// there carries it, as do jobs enqueued from a route handler and from a socket handler.
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";

const project = createProject({
  "tandem.config.ts": `import { defineConfig } from "tandem/server";

export default defineConfig({ logging: { accessLog: true }, server: { trustProxy: true } });
`,
  "lib/record.ts": `import { appendFileSync } from "node:fs";

/** One JSON line per event in the file the test reads. */
export function record(entry: Record<string, unknown>): void {
  appendFileSync(process.env.IDS_FILE!, \`\${JSON.stringify(entry)}\\n\`);
}
`,
  "jobs/note.ts": `import { defineJob } from "tandem/jobs";
import { requestId } from "tandem/server";
import { record } from "../lib/record";

export default defineJob({
  async run(payload: { from: string }, ctx) {
    await ctx.log(\`[\${ctx.requestId}] noted\`);
    record({ where: "job", from: payload.from, id: ctx.requestId, ambient: requestId() });
  },
});
`,
  "app/layout.tsx": `import type { ReactNode } from "react";

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
`,
  "app/form/actions.ts": `"use server";
import { requestId } from "tandem/server";
import note from "../../jobs/note";

export async function ping(): Promise<string> {
  console.log(\`[\${requestId()}] ping\`);
  await note.enqueue({ from: "action" });
  return requestId();
}

export async function boom(): Promise<void> {
  throw new Error("the action broke");
}
`,
  "app/form/page.tsx": `import { boom, ping } from "./actions";

export default function FormPage() {
  return (
    <>
      <form action={ping as unknown as (form: FormData) => Promise<void>}>
        <button type="submit">Ping</button>
      </form>
      <form action={boom}>
        <button type="submit">Boom</button>
      </form>
    </>
  );
}
`,
  "app/broken/page.tsx": `export default async function Broken(): Promise<never> {
  throw new Error("the page broke");
}
`,
  "app/api/note/route.ts": `import { requestId } from "tandem/server";
import note from "../../../jobs/note";

export async function POST(request: Request) {
  await note.enqueue({ from: "route" });
  return Response.json({ id: requestId(request) });
}
`,
  "app/live/socket.ts": `import { defineSocket } from "tandem/realtime";
import { requestId } from "tandem/server";
import note from "../../jobs/note";

export default defineSocket({
  async message(peer) {
    await note.enqueue({ from: "socket" });
    peer.send(JSON.stringify({ id: peer.requestId, ambient: requestId() }));
  },
});
`,
});
after(() => project.remove());
const IDS_FILE = join(project.root, "ids.ndjson");

describeModes(
  "request ids",
  project.root,
  (app, mode) => {
    const recorded = (): Array<{ where: string; from: string; id: string; ambient: string }> =>
      existsSync(IDS_FILE)
        ? readFileSync(IDS_FILE, "utf8")
            .trim()
            .split("\n")
            .map((line) => JSON.parse(line))
        : [];
    /** A Server Action called as the browser does; with `proxyId`, through a (trusted) proxy that sets X-Request-Id. */
    async function callAction(name: string, proxyId?: string): Promise<Response> {
      const origin = await app().origin();
      const html = await (await app().fetch("/form")).text();
      const ids = [...html.matchAll(/name="\$ACTION_ID_([^"]+)"/g)].map((m) => m[1]!);
      const id = ids.find((i) => i.endsWith(`#${name}`));
      assert.ok(id, `the page carries the action ${name}: ${ids.join(", ")}`);
      const headers: Record<string, string> = { "x-tandem-action": id, "x-tandem-rsc": "1", origin, "content-type": "text/plain" };
      if (proxyId !== undefined) headers["x-request-id"] = proxyId;
      return app().fetch("/form", { method: "POST", body: "[]", headers });
    }

    test("a Server Action's id: its log line, the access line, and the job it enqueued", async () => {
      rmSync(IDS_FILE, { force: true });
      const response = await callAction("ping", "lb-7f3a-action");
      assert.equal(response.status, 200);
      const id = /"returnValue":\{"ok":true,"data":"([^"]+)"\}/.exec(await response.text())?.[1];
      assert.ok(id, "the action returned its request id");
      // tandem start trusts the proxy's id (server.trustProxy); in memory there is no proxy to trust.
      if (mode === "start") assert.equal(id, "lb-7f3a-action");
      await app().drainJobs();
      const job = recorded().find((entry) => entry.where === "job" && entry.from === "action");
      assert.deepEqual(job, { where: "job", from: "action", id, ambient: id });
      if (mode !== "memory") {
        // The access log is tandem start's (dev reads the app's config only with its first request).
        const access = new RegExp(`"reqId":"${id}","method":"POST","path":"/form","status":200`);
        const deadline = Date.now() + 5000;
        while (!app().output().includes(`[${id}] ping`) || (mode === "start" && !access.test(app().output()))) {
          if (Date.now() > deadline) assert.fail(`no action line and access line with ${id} in:\n${app().output()}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    });

    test("the error lines of a failing action and a failing page name the request", async () => {
      const response = await callAction("boom", "lb-7f3a-boom");
      assert.equal(response.status, 200);
      await response.text();
      const page = await app().fetch("/broken", { headers: { "x-request-id": "lb-7f3a-page" } });
      assert.equal(page.status, 500);
      await page.text();
      if (mode !== "start") return; // only tandem start trusts the proxy's id, which the test knows in advance
      const deadline = Date.now() + 5000;
      const lines = ["[tandem] lb-7f3a-boom Server Action failed", "[tandem] lb-7f3a-page "];
      while (!lines.every((line) => app().output().includes(line))) {
        if (Date.now() > deadline) assert.fail(`no error lines with the ids in:\n${app().output()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // Through the app's logger (JSON lines under tandem start), with the id as a field.
      const entries = app()
        .output()
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as { level: number; reqId?: string; msg: string; err?: { message: string } });
      const action = entries.find((entry) => entry.reqId === "lb-7f3a-boom" && entry.msg.includes("Server Action failed"));
      assert.equal(action?.level, 50, "the action's failure is an error line of the app's logger");
      assert.equal(action?.err?.message, "the action broke");
      assert.ok(
        entries.some((entry) => entry.reqId === "lb-7f3a-page" && entry.level === 50),
        "the page's failure is an error line of the app's logger",
      );
    });

    test("jobs enqueued from a route handler and from a socket handler carry their request's id", async () => {
      rmSync(IDS_FILE, { force: true });
      const response = await app().fetch("/api/note", { method: "POST" });
      const { id } = (await response.json()) as { id: string };
      const ws = await app().socket("/live");
      const reply = new Promise<string>((resolve) => ws.once("message", (data) => resolve(String(data))));
      ws.send("go");
      const socket = JSON.parse(await reply) as { id: string; ambient: string };
      assert.equal(socket.ambient, socket.id, "requestId() in a socket handler is the upgrade request's");
      await app().drainJobs();
      const entries = recorded();
      assert.deepEqual(
        entries.find((entry) => entry.from === "route"),
        { where: "job", from: "route", id, ambient: id },
      );
      assert.deepEqual(
        entries.find((entry) => entry.from === "socket"),
        { where: "job", from: "socket", id: socket.id, ambient: socket.id },
      );
    });
  },
  { env: { IDS_FILE } },
);
