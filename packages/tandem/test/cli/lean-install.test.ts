// What an API-only app installs (issue 18, item 9): `npm pack` of tandem, installed into a fresh
// app outside the repo from the local npm cache. The optional peers (better-sqlite3, bullmq,
// ioredis, swagger-ui-dist) stay out, nothing runs an install script, node_modules stays within
// 60 MB, the app builds and serves, and a feature that needs a missing package names it.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { packTarball } from "tandem-test-support/pack";
import { type Done, ok as okIn, run as runIn, userEnv, waitForReady } from "tandem-test-support/processes";

const pkg = fileURLToPath(new URL("../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "tandem-lean-"));
const app = join(work, "app");
const env = userEnv({ npm_config_prefer_offline: "true", npm_config_audit: "false", npm_config_fund: "false" });
after(() => rmSync(work, { recursive: true, force: true }));

const run = (command: string, args: string[], cwd: string): Promise<Done> => runIn(command, args, { cwd, env });
const ok = (command: string, args: string[], cwd: string): Promise<string> => okIn(command, args, { cwd, env });

/** Every installed package's folder, scoped and nested ones included. */
function packages(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name.startsWith(".")) continue;
    const path = join(dir, name);
    if (name.startsWith("@")) packages(path, out);
    else if (existsSync(join(path, "package.json"))) {
      out.push(path);
      packages(join(path, "node_modules"), out);
    }
  }
  return out;
}

/** Disk usage as du counts it (blocks), without following links. */
function diskBytes(path: string): number {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.blocks * 512;
  return readdirSync(path).reduce((sum, name) => sum + diskBytes(join(path, name)), stat.blocks * 512);
}

before(async () => {
  const packed = await packTarball(pkg, work, env);
  mkdirSync(join(app, "app", "api", "hello"), { recursive: true });
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "api-only", private: true, type: "module" }));
  writeFileSync(join(app, "app", "api", "hello", "route.ts"), `export const GET = () => Response.json({ hello: "world" });\n`);
  await ok("npm", ["install", packed], app);
});

test("an API-only install: no optional peers, no install scripts, at most 60 MB", () => {
  const installed = packages(join(app, "node_modules"));
  const names = new Set(installed.map((dir) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name as string));
  for (const name of [
    "better-sqlite3",
    "bullmq",
    "ioredis",
    "swagger-ui-dist",
    "@scarf/scarf",
    "react-server-dom-webpack",
    "webpack",
    "@valibot/to-json-schema",
    "valibot",
  ]) {
    assert.equal(names.has(name), false, `${name} is installed`);
  }
  const withScripts = installed.filter((dir) => {
    const scripts = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).scripts ?? {};
    return ["preinstall", "install", "postinstall"].some((hook) => hook in scripts);
  });
  assert.deepEqual(withScripts, []);
  const mb = diskBytes(join(app, "node_modules")) / 1024 / 1024;
  assert.ok(mb <= 60, `node_modules is ${mb.toFixed(1)} MB`);
});

test("it builds and serves; /reference says which package to install", async () => {
  const bin = join(app, "node_modules", "tandem", "bin", "tandem.js");
  await ok(process.execPath, [bin, "build"], app);
  const child = spawn(process.execPath, [bin, "start", "--port", "0", "--host", "127.0.0.1"], { cwd: app, env });
  try {
    const { url } = await waitForReady(child, { name: "tandem start" });
    assert.deepEqual(await (await fetch(`${url}/api/hello`)).json(), { hello: "world" });
    const reference = await fetch(`${url}/reference`);
    assert.equal(reference.status, 501);
    assert.match(await reference.text(), /npm install swagger-ui-dist/);
    assert.equal((await fetch(`${url}/openapi.json`)).status, 200);
  } finally {
    child.kill("SIGTERM");
  }
});

const [major, minor] = process.versions.node.split(".").map(Number) as [number, number];
const builtInSqlite = major > 22 || (major === 22 && minor >= 13);

test(
  builtInSqlite
    ? "an app with a job and no better-sqlite3 runs its job store on node:sqlite, without the experimental warning"
    : "an app with a job and no better-sqlite3 stops with the command that fixes it (Node 20)",
  async () => {
    mkdirSync(join(app, "jobs"), { recursive: true });
    writeFileSync(
      join(app, "jobs", "noop.ts"),
      `import { defineJob } from "tandem/jobs";\nexport default defineJob({ run: async () => {} });\n`,
    );
    const bin = join(app, "node_modules", "tandem", "bin", "tandem.js");
    await ok(process.execPath, [bin, "build"], app);
    if (!builtInSqlite) {
      const started = await run(process.execPath, [bin, "start", "--port", "0", "--host", "127.0.0.1"], app);
      assert.notEqual(started.code, 0);
      assert.match(
        started.output,
        /needs the package better-sqlite3, which is not installed: run npm install better-sqlite3 \[TND_ERR_MISSING_PACKAGE\]/,
      );
      return;
    }
    const child = spawn(process.execPath, [bin, "start", "--port", "0", "--host", "127.0.0.1"], { cwd: app, env });
    let output = "";
    child.stderr.on("data", (chunk) => (output += chunk));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (chunk) => {
          output += chunk;
          const match = /listening on (http:\/\/\S+)/.exec(output);
          if (match) resolve(match[1]!);
        });
        child.on("exit", (code) => reject(new Error(`tandem start exited with ${code}: ${output}`)));
      });
      // Readiness queries the job store: 200 means SQLite opened and answered.
      const ready = await fetch(`${url}/_tandem/ready`);
      assert.equal(ready.status, 200, await ready.text());
      assert.ok(existsSync(join(app, ".data", "jobs.sqlite")));
      assert.doesNotMatch(output, /ExperimentalWarning/);
    } finally {
      child.kill("SIGTERM");
    }
  },
);

test("a valibot schema without @valibot/to-json-schema stops the build with the command", async () => {
  // Its own app: the one above stays API-only, with no valibot in its node_modules.
  const valibotApp = join(work, "valibot-app");
  mkdirSync(join(valibotApp, "app", "api", "items"), { recursive: true });
  writeFileSync(join(valibotApp, "package.json"), JSON.stringify({ name: "valibot-app", private: true, type: "module" }));
  writeFileSync(
    join(valibotApp, "app", "api", "items", "route.ts"),
    [
      `import * as v from "valibot";`,
      `import { defineHandler } from "tandem/server";`,
      `export const POST = defineHandler({ body: v.object({ name: v.string() }) }, ({ body }) => ({ name: body.name }));`,
      "",
    ].join("\n"),
  );
  const tarball = readdirSync(work).find((name) => name.endsWith(".tgz"));
  assert.ok(tarball !== undefined, "the packed tandem tarball");
  await ok("npm", ["install", join(work, tarball), "valibot"], valibotApp);
  const built = await run(process.execPath, [join(valibotApp, "node_modules", "tandem", "bin", "tandem.js"), "build"], valibotApp);
  assert.notEqual(built.code, 0, built.output);
  assert.match(
    built.output,
    /OpenAPI for valibot schemas needs the package @valibot\/to-json-schema.*npm install @valibot\/to-json-schema/,
  );
});
