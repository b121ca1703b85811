// The package as users get it: `npm pack` of tandem and create-tandem, `npm create` from the
// tarball into a temp folder outside the repo, each template's own install strictly offline (the
// tarball and the local npm cache, see offline-lock.ts), then its typecheck, tests, `tandem dev`,
// `tandem build` and `tandem start`.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { writeOfflineLock } from "tandem-test-support/offline-lock";
import { packTarball } from "tandem-test-support/pack";
import { ok as okIn, userEnv, waitForReady } from "tandem-test-support/processes";
import { hasNodeSqlite } from "../src/templates.js";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "tandem-packed-"));
// The installs are the slow part (on Node 20 the full template's better-sqlite3 compiles from
// source: no prebuilt binary can be downloaded offline), about a minute each on a quiet machine.
const LONG = { timeout: 20 * 60_000 };
// The apps run as users run them, not inside this suite's test runner.
const env = userEnv({
  // No network: every package comes from the tarballs or the local npm cache.
  npm_config_offline: "true",
  npm_config_audit: "false",
  npm_config_fund: "false",
  npm_config_update_notifier: "false",
  // swagger-ui-dist's analytics postinstall would try the network.
  SCARF_ANALYTICS: "false",
});
after(() => rmSync(work, { recursive: true, force: true }));

const ok = (command: string, args: string[], cwd: string): Promise<string> => okIn(command, args, { cwd, env });

/** A long-running `tandem` command, once it printed its URL. */
async function serve(cwd: string, args: string[]): Promise<{ url: string; output: () => string; stop(): Promise<void> }> {
  const bin = join(cwd, "node_modules", "tandem", "bin", "tandem.js");
  const child: ChildProcess = spawn(process.execPath, [bin, ...args, "--port", "0", "--host", "127.0.0.1"], {
    cwd,
    env: { ...env, TANDEM_DATA_DIR: join(cwd, ".data-test"), ADMIN_TOKEN: "t" },
  });
  const exited = new Promise<void>((done) => child.on("exit", () => done()));
  const { url, output } = await waitForReady(child, { name: `tandem ${args.join(" ")}` });
  return {
    url,
    output,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

const TEMPLATES = {
  minimal: { page: ["/", /Hello, world!/], api: ["/api/hello?name=Ada", /"message":"Hello, Ada!"/] },
  api: { page: ["/openapi.json", /"title":"Todos API"/], api: ["/api/todos", /^\[\]$/] },
  full: { page: ["/", /<h1>Notes<\/h1>/], api: ["/api/notes", /^\[\]$/] },
} as const;

let tandemTarball = "";
let createTarball = "";

before(async () => {
  // dist must be current: scripts/test.mjs builds it (a filtered run when src/ is newer).
  assert.ok(existsSync(join(repo, "packages/tandem/dist/cli/main.js")), "build tandem first: npm run build -w tandem");
  tandemTarball = await packTarball(join(repo, "packages/tandem"), work, env);
  createTarball = await packTarball(join(repo, "packages/create-tandem"), work, env);
}, LONG);

describe("from the packed tarballs", LONG, () => {
  test("the tandem tarball ships what its source maps point to", () => {
    assert.ok(tandemTarball.endsWith(".tgz") && existsSync(tandemTarball), tandemTarball);
    assert.ok(createTarball.endsWith(".tgz") && existsSync(createTarball), createTarball);
  });

  test("npm create from the tarball writes each app; npm install --offline installs it", { timeout: 45 * 60_000 }, async () => {
    for (const name of Object.keys(TEMPLATES)) {
      const create = ["exec", "--yes", `--package=${createTarball}`, "--", "create-tandem", name];
      const output = await ok("npm", [...create, "--template", name, "--tandem", `file:${tandemTarball}`, "--no-install"], work);
      assert.match(output, new RegExp(`cd ${name}\\n {2}npm install\\n {2}npm run dev`));
      const app = join(work, name);
      writeOfflineLock(repo, app, tandemTarball);
      const started = performance.now();
      const installed = await ok("npm", ["install"], app);
      // npm 11.16+ lists dependencies whose install scripts the app has not reviewed (npm 12 skips them).
      assert.doesNotMatch(installed, /install-scripts/, `the app's allowScripts covers every install script:\n${installed}`);
      console.log(`# npm install --offline (${name} template): ${Math.round(performance.now() - started)} ms`);
      // Only the full template has jobs; on Node 22.13+ they run on node:sqlite and nothing is compiled.
      const native = existsSync(join(app, "node_modules", "better-sqlite3"));
      assert.equal(native, name === "full" && !hasNodeSqlite(process.versions.node), `better-sqlite3 installed: ${native}`);
    }
    const installed = join(work, "minimal", "node_modules", "tandem");
    assert.equal(JSON.parse(readFileSync(join(installed, "package.json"), "utf8")).name, "tandem");
    // Every map in dist names sources that exist in the package, or carries them.
    let maps = 0;
    for (const file of readdirSync(join(installed, "dist"), { recursive: true, encoding: "utf8" })) {
      if (!file.endsWith(".map")) continue;
      maps++;
      const map = JSON.parse(readFileSync(join(installed, "dist", file), "utf8")) as { sources: string[]; sourcesContent?: unknown[] };
      map.sources.forEach((source, i) => {
        const found = existsSync(resolve(dirname(join(installed, "dist", file)), source)) || typeof map.sourcesContent?.[i] === "string";
        assert.ok(found, `${file}: ${source} is neither shipped nor embedded`);
      });
    }
    assert.ok(maps > 10, `${maps} source maps`);
  });

  for (const [name, checks] of Object.entries(TEMPLATES)) {
    test(`${name}: typecheck, its own tests, tandem dev, tandem build and start`, LONG, async () => {
      const app = join(work, name);
      assert.ok(existsSync(join(app, "node_modules", "tandem")), "the install step ran first");
      await ok("npm", ["run", "typecheck"], app);
      const tests = await ok("npm", ["test"], app);
      // node --test reports TAP on Node 20 and 22 when piped, the spec reporter on 24 ("ℹ fail 0").
      assert.match(tests, /^(?:# |ℹ )fail 0$/m);

      const dev = await serve(app, ["dev"]);
      try {
        for (const [path, expected] of [checks.page, checks.api]) {
          const res = await fetch(new URL(path, dev.url));
          assert.equal(res.status, 200, `dev ${path}`);
          assert.match(await res.text(), expected);
        }
        const icon = await fetch(new URL("/favicon.ico", dev.url));
        assert.equal(icon.headers.get("content-type"), "image/x-icon", "dev /favicon.ico");
        await icon.arrayBuffer();
        assert.doesNotMatch(dev.output(), /Sourcemap .* points to missing source files/);
      } finally {
        await dev.stop();
      }

      await ok("npm", ["run", "build"], app);
      const prod = await serve(app, ["start"]);
      try {
        for (const [path, expected] of [checks.page, checks.api]) {
          const res = await fetch(new URL(path, prod.url));
          assert.equal(res.status, 200, `start ${path}`);
          assert.match(await res.text(), expected);
        }
      } finally {
        await prod.stop();
      }
    });
  }
});
