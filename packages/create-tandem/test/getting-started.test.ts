// docs/getting-started.md as a user follows it: a minimal app from create-tandem, every code block
// written to the file its first line names, then typegen, tsc, build, start and the requests the
// page describes.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { runCli, type StartedServer, startCli } from "../../tandem/test/support/cli.js";
import { runCreate } from "./run.js";

const doc = readFileSync(new URL("../../../docs/getting-started.md", import.meta.url), "utf8");
const blocks = [...doc.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map(([, lang, code]) => ({ lang: lang!, code: code! }));
const files = blocks.flatMap(({ lang, code }) => {
  const path = /^\/\/ ([\w./[\]-]+\.tsx?)\n/.exec(code)?.[1];
  return (lang === "ts" || lang === "tsx") && path ? [{ path, code }] : [];
});

// Inside the repository (git-ignored), so tandem, typescript and zod resolve from the workspace.
const base = fileURLToPath(new URL("../.test-projects/", import.meta.url));
mkdirSync(base, { recursive: true });
const work = mkdtempSync(join(base, "guide-"));
const root = join(work, "my-app");
let server: StartedServer | undefined;
after(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

before(async () => {
  const created = await runCreate(["my-app", "--template", "minimal", "--no-install"], { cwd: work });
  assert.equal(created.code, 0, created.stderr);
  for (const { path, code } of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), code);
  }
});

test("the guide's code blocks name their files", () => {
  assert.deepEqual(
    files.map((file) => file.path),
    [
      "app/api/time/route.ts",
      "lib/guestbook.ts",
      "app/guestbook/actions.ts",
      "app/guestbook/page.tsx",
      "app/guestbook/live/socket.ts",
      "app/guestbook/live-entries.tsx",
      "jobs/thank.ts",
      "app/api/thank/route.ts",
    ],
  );
});

test("every npm script the guide runs is one the app has", () => {
  const scripts = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts as Record<string, string>;
  const commands = blocks
    .filter((block) => block.lang === "sh")
    .flatMap((block) => [...block.code.matchAll(/npm (run (\w+)|test|start)/g)]);
  assert.ok(commands.length >= 5);
  for (const [, , script] of commands) if (script) assert.ok(scripts[script], `npm run ${script}`);
  assert.match(doc, /npm create tandem@latest my-app/);
});

test("the app with the guide's files type-checks", async () => {
  const typegen = await runCli(["typegen", root]);
  assert.equal(typegen.code, 0, typegen.stderr);
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  await promisify(execFile)(process.execPath, [tsc, "--noEmit", "-p", root]).catch((error: { stdout: string }) => {
    assert.fail(`tsc failed:\n${error.stdout}`);
  });
});

test("it builds, starts and answers as the guide says", async () => {
  const built = await runCli(["build", root]);
  assert.equal(built.code, 0, built.stderr);
  assert.doesNotMatch(built.stdout + built.stderr, /\[plugin tandem:checks\]/, "no warnings");
  server = await startCli(["start", root, "--port", "0", "--host", "127.0.0.1"], { env: { TANDEM_DATA_DIR: join(work, "data") } });
  const url = (path: string) => new URL(path, server!.url);

  const time = (await (await fetch(url("/api/time"))).json()) as { now: string };
  assert.ok(!Number.isNaN(Date.parse(time.now)));
  const page = await (await fetch(url("/guestbook"))).text();
  assert.match(page, /<h1>Guestbook<\/h1>/);
  assert.match(page, /<title>Guestbook · Tandem app<\/title>/);

  const queued = await fetch(url("/api/thank"), { method: "POST" });
  assert.equal(queued.status, 202);
  const { id } = (await queued.json()) as { id: string };
  let job: { state: string; result: unknown } | undefined;
  for (let i = 0; i < 100 && job?.state !== "completed"; i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    job = (await (await fetch(url(`/api/thank?id=${id}`))).json()) as typeof job;
  }
  assert.deepEqual(job, { state: "completed", result: { thanked: 0 } });
});
