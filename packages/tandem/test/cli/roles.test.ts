// Roles through the real CLI: `tandem start --role web` serves and enqueues without running jobs;
// `tandem worker` (another process, same SQLite file) runs them; `tandem jobs list` shows them.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runCli, startCli } from "../support/cli.js";
import { createProject } from "../support/project.js";

const project = createProject({
  "jobs/greet.ts": `import { defineJob } from "tandem/jobs";
export default defineJob({ async run(payload: { name: string }) { return "hello " + payload.name; } });\n`,
  "app/api/greet/route.ts": `import greet from "@/jobs/greet";
export async function POST(request: Request) {
  const { id } = await greet.enqueue(await request.json());
  return Response.json({ id }, { status: 202 });
}
export async function GET(request: Request) {
  const id = new URL(request.url).searchParams.get("id")!;
  return Response.json(await greet.get(id));
}\n`,
});
const data = mkdtempSync(join(tmpdir(), "tandem-roles-"));
after(() => {
  project.remove();
  rmSync(data, { recursive: true, force: true });
});

test("web enqueues, a separate worker process runs the job", async () => {
  const env = { TANDEM_DATA_DIR: data, REDIS_URL: "" };
  const build = await runCli(["build", project.root]);
  assert.equal(build.code, 0, build.stderr);
  const web = await startCli(["start", project.root, "--role", "web", "--port", "0", "--host", "127.0.0.1"], { env });
  try {
    const { id } = await (await fetch(`${web.url}/api/greet`, { method: "POST", body: JSON.stringify({ name: "ada" }) })).json();
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await (await fetch(`${web.url}/api/greet?id=${id}`)).json()).state, "waiting", "the web role runs no jobs");

    const listed = await runCli(["jobs", project.root, "list"], { env });
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`${id}\\s+greet\\s+waiting`));

    const worker = await startCli(["worker", project.root], { env, ready: /tandem worker: running 1 job/ });
    try {
      let record: { state: string; result?: string } = { state: "" };
      for (let i = 0; i < 100 && record.state !== "completed"; i++) {
        record = await (await fetch(`${web.url}/api/greet?id=${id}`)).json();
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(record.state, "completed");
      assert.equal(record.result, "hello ada");
    } finally {
      assert.equal(await worker.stop("SIGTERM"), 0);
    }
  } finally {
    await web.stop();
  }
});
