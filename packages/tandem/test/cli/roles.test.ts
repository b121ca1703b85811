// Roles through the real CLI: `tandem start --role web` serves and enqueues without running jobs;
// `tandem worker` (another process, same SQLite file) runs them; `tandem jobs list` shows them.
// Worker-only processes must outlive an empty queue and treat SIGTERM as a clean stop at any time.
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
  // Stands in for an orchestrator whose SIGTERM lands while the worker is still loading the app:
  // job modules are evaluated then, and a signal from inside is the only way to hit that moment every time.
  "jobs/stop-on-load.ts": `import { defineJob } from "tandem/jobs";
if (process.env.TANDEM_TEST_SIGTERM_ON_LOAD === "1") process.kill(process.pid, "SIGTERM");
export default defineJob({ async run() { return null; } });\n`,
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

// Each test gets its own store so one test's jobs never show up in another's.
function freshData(): string {
  return mkdtempSync(join(data, "store-"));
}

let built: Promise<void> | undefined;
function buildOnce(): Promise<void> {
  return (built ??= runCli(["build", project.root]).then((build) => assert.equal(build.code, 0, build.stderr)));
}

test("web enqueues, a separate worker process runs the job", async () => {
  const env = { TANDEM_DATA_DIR: freshData(), REDIS_URL: "" };
  await buildOnce();
  const web = await startCli(["start", project.root, "--role", "web", "--port", "0", "--host", "127.0.0.1"], { env });
  try {
    const { id } = await (await fetch(`${web.url}/api/greet`, { method: "POST", body: JSON.stringify({ name: "ada" }) })).json();
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await (await fetch(`${web.url}/api/greet?id=${id}`)).json()).state, "waiting", "the web role runs no jobs");

    const listed = await runCli(["jobs", project.root, "list"], { env });
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`${id}\\s+greet\\s+waiting`));

    const worker = await startCli(["worker", project.root], { env, ready: /tandem worker: running 2 job/ });
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

for (const [command, ready] of [
  [["worker"], /tandem worker: running 2 job/],
  [["start", "--role", "worker"], /tandem start: worker running 2 job types/],
] as const) {
  test(`tandem ${command.join(" ")} keeps running with an empty queue and takes jobs enqueued later`, async () => {
    const env = { TANDEM_DATA_DIR: freshData(), REDIS_URL: "" };
    await buildOnce();
    const [name, ...flags] = command;
    const worker = await startCli([name, project.root, ...flags], { env, ready });
    try {
      // Enqueued only now, so the worker cannot have taken it in its first moments: it has to be up and polling.
      const enqueued = await runCli(["jobs", project.root, "run", "greet", '{"name":"grace"}', "--wait"], { env, timeoutMs: 30_000 });
      assert.equal(enqueued.code, 0, enqueued.stderr);
      assert.match(enqueued.stdout, /completed/);
      assert.equal(worker.child.exitCode, null, `the worker exited on its own:\n${worker.output()}`);
      assert.equal(worker.child.signalCode, null, `the worker was killed:\n${worker.output()}`);
    } finally {
      assert.equal(await worker.stop("SIGTERM"), 0, worker.output());
    }
  });
}

for (const [command, ready] of [
  [["worker"], /running 2 job/],
  [["start", "--role", "worker"], /worker running 2 job/],
] as const) {
  test(`a SIGTERM while tandem ${command.join(" ")} is still loading the app stops it cleanly before it takes any job`, async () => {
    const env = { TANDEM_DATA_DIR: freshData(), REDIS_URL: "" };
    await buildOnce();
    const enqueued = await runCli(["jobs", project.root, "run", "greet", '{"name":"early"}'], { env });
    assert.equal(enqueued.code, 0, enqueued.stderr);
    const id = /enqueued greet (\S+)/.exec(enqueued.stdout)?.[1];
    assert.ok(id, enqueued.stdout);

    const [name, ...flags] = command;
    const worker = await runCli([name, project.root, ...flags], { env: { ...env, TANDEM_TEST_SIGTERM_ON_LOAD: "1" }, timeoutMs: 30_000 });
    assert.equal(worker.code, 0, `killed instead of shutting down:\n${worker.stdout}\n${worker.stderr}`);
    assert.match(worker.stdout, /SIGTERM while starting/);
    assert.doesNotMatch(worker.stdout, ready, "a worker asked to stop while starting must not start");

    const listed = await runCli(["jobs", project.root, "list"], { env });
    assert.match(listed.stdout, new RegExp(`${id}\\s+greet\\s+waiting`), "the job is left for the next worker");
  });
}
