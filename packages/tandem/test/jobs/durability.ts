import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { defineJob } from "../../src/jobs/define.js";
import { sleep } from "./support.js";

const FIXTURE = fileURLToPath(new URL("./fixtures/enqueue-forever.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** SIGKILL a process that is enqueueing; every id it printed (enqueue had resolved) must exist. */
export async function enqueueSurvivesKill(env: Record<string, string>): Promise<number> {
  const child = spawn(process.execPath, ["--import", "tsx", FIXTURE], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  for (let waited = 0; !out.includes("\n") && waited < 20_000; waited += 20) await sleep(20);
  await sleep(200 + Math.random() * 200);
  child.kill("SIGKILL");
  await exited;
  const ids = out.split("\n").filter((line) => /^[\w-]{10,}$/.test(line));
  assert.ok(ids.length > 0, "the child enqueued nothing before the kill");
  const job = defineJob({ name: "durable", run: () => null });
  const missing: string[] = [];
  for (const id of ids) if (!(await job.get(id))) missing.push(id);
  assert.deepEqual(missing, [], `${missing.length} of ${ids.length} acknowledged enqueues were lost`);
  return ids.length;
}
