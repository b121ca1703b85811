import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { scaffold } from "../src/scaffold.js";
import { findTemplate } from "../src/templates.js";
import { MAIN, runCreate, TSX } from "./run.js";

const work = mkdtempSync(join(tmpdir(), "create-tandem-"));
after(() => rmSync(work, { recursive: true, force: true }));

describe("command line", () => {
  test("--help prints the usage with every template and exits 0", async () => {
    const res = await runCreate(["--help"]);
    assert.equal(res.code, 0);
    assert.match(res.stdout, /^Usage: npm create tandem@latest \[dir\]/);
    for (const name of ["minimal", "api", "full", "--no-install", "--yes"]) assert.ok(res.stdout.includes(name), name);
  });

  test("an unknown flag is one line with the fix and exit 2", async () => {
    const res = await runCreate(["app", "--templat", "api"], { cwd: work });
    assert.equal(res.code, 2);
    assert.equal(res.stderr, "create-tandem: Unknown option '--templat'; see create-tandem --help\n");
    assert.equal(existsSync(join(work, "app")), false);
  });

  test("a bad value names the good ones, exit 2", async () => {
    const template = await runCreate(["app", "--template", "huge"], { cwd: work });
    assert.equal(template.code, 2);
    assert.equal(template.stderr, 'create-tandem: unknown template "huge"; use --template minimal, --template api, --template full\n');
    const name = await runCreate(["My App", "--yes", "--no-install"], { cwd: work });
    assert.equal(name.code, 2);
    assert.match(name.stderr, /^create-tandem: "My App" cannot be a package name: .*\n$/);
    const missing = await runCreate(["app", "--template"], { cwd: work });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--template/);
    assert.equal(missing.stderr.split("\n").length, 2);
  });

  test("a folder with files in it is refused, exit 1, nothing written", async () => {
    const dir = join(work, "taken");
    mkdirSync(dir);
    writeFileSync(join(dir, "notes.txt"), "mine");
    const res = await runCreate(["taken", "--yes", "--no-install"], { cwd: work });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /taken is not empty \(notes\.txt\); choose another name or empty it/);
    assert.equal(existsSync(join(dir, "package.json")), false);
  });
});

describe("writing an app", () => {
  test("without a terminal nothing is asked: my-tandem-app from the minimal template", async () => {
    const cwd = mkdtempSync(join(work, "pipe-"));
    const res = await runCreate(["--no-install"], { cwd, input: "ignored\n" });
    assert.equal(res.code, 0, res.stderr);
    assert.doesNotMatch(res.stdout, /Project name/);
    const pkg = JSON.parse(readFileSync(join(cwd, "my-tandem-app", "package.json"), "utf8"));
    assert.equal(pkg.name, "my-tandem-app");
    assert.ok(existsSync(join(cwd, "my-tandem-app", "app", "api", "hello", "route.ts")));
    assert.match(res.stdout, /npm install\n {2}npm run dev/);
  });

  for (const template of ["minimal", "api", "full"]) {
    test(`--template ${template} writes a standalone app`, async () => {
      const res = await runCreate([`${template}-app`, "--template", template, "--no-install", "--tandem", "^9.9.9"], { cwd: work });
      assert.equal(res.code, 0, res.stderr);
      const root = join(work, `${template}-app`);
      for (const file of [".gitignore", ".env.example", "app/favicon.ico", "tsconfig.json", "README.md", "test/app.test.ts"]) {
        assert.ok(existsSync(join(root, file)), file);
      }
      assert.equal(existsSync(join(root, "_gitignore")), false);
      assert.match(readFileSync(join(root, ".gitignore"), "utf8"), /^\.tandem\/$/m);
      const tsconfig = JSON.parse(readFileSync(join(root, "tsconfig.json"), "utf8"));
      assert.equal(tsconfig.extends, undefined);
      assert.deepEqual(tsconfig.compilerOptions.types, ["node", "tandem/env"]);
      assert.ok(tsconfig.include.includes(".tandem/types/**/*.ts"));
      assert.match(readFileSync(join(root, "README.md"), "utf8"), new RegExp(`^# ${template}-app\\n`));
      const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
      assert.equal(pkg.dependencies.tandem, "^9.9.9");
      assert.equal(pkg.type, "module");
      assert.deepEqual(Object.keys(pkg.scripts).slice(0, 5), ["dev", "build", "start", "typecheck", "test"]);
      const icon = readFileSync(join(root, "app", "favicon.ico"));
      assert.deepEqual([...icon.subarray(0, 4)], [0, 0, 1, 0]);
    });
  }

  test("the default tandem dependency is this release's range", async () => {
    const res = await runCreate(["versioned", "--yes", "--no-install"], { cwd: work });
    assert.equal(res.code, 0, res.stderr);
    const own = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    const pkg = JSON.parse(readFileSync(join(work, "versioned", "package.json"), "utf8"));
    assert.equal(pkg.dependencies.tandem, `^${own.version}`);
  });
});

// On a terminal it asks; util-linux `script` gives the child a pseudo-terminal as a user's shell would.
const hasScript = spawnSync("script", ["--version"]).status === 0;
test("on a terminal it asks for the name and the template, and re-asks after a bad name", {
  skip: !hasScript && "no `script` (util-linux) for a pseudo-terminal",
  // A question left unanswered would wait for ever: fail with what was on the screen instead.
  timeout: 90_000,
}, async () => {
  const cwd = mkdtempSync(join(work, "tty-"));
  const script = `import { main } from ${JSON.stringify(MAIN)}; await main(["--no-install"]);`;
  const command = `${JSON.stringify(process.execPath)} --import ${JSON.stringify(TSX)} --input-type=module -e '${script}'`;
  const child = spawn("script", ["-qec", command, "/dev/null"], { cwd });
  let output = "";
  // Each answer waits for its question in what arrived since the previous answer: a prompt may
  // come split across chunks or followed by terminal codes, so nothing is anchored to the end.
  const steps: Array<[RegExp, string]> = [
    [/Project name/, "Bad Name\n"],
    [/capital letters[\s\S]*Project name/, "asked-app\n"],
    [/Template \(1-3/, "3\n"],
  ];
  let step = 0;
  let since = 0;
  child.stdout.on("data", (chunk) => {
    output += chunk;
    const next = steps[step];
    if (next?.[0].test(output.slice(since))) {
      child.stdin.write(next[1]);
      step++;
      since = output.length;
    }
  });
  const timer = setTimeout(() => child.kill(), 80_000);
  const code = await new Promise((done) => child.on("close", done));
  clearTimeout(timer);
  assert.equal(code, 0, output);
  assert.match(output, /the name has capital letters/);
  assert.match(output, /Creating asked-app \(template full\)/);
  assert.ok(existsSync(join(cwd, "asked-app", "jobs", "report.ts")));
});

describe("the full template's SQLite package follows the Node it is created on", () => {
  for (const [node, better] of [
    ["20.19.5", true],
    ["22.12.0", true],
    ["22.13.0", false],
    ["24.11.1", false],
  ] as const) {
    test(`Node ${node}: ${better ? "better-sqlite3 in dependencies" : "no better-sqlite3 (node:sqlite, nothing to compile)"}`, async () => {
      const dir = join(work, `sqlite-${node}`);
      await scaffold({ dir, template: findTemplate("full")!, tandem: "^9.9.9", node });
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      assert.equal("better-sqlite3" in pkg.dependencies, better);
      assert.equal(pkg.optionalDependencies, undefined);
      assert.deepEqual(pkg.allowScripts, better ? { "better-sqlite3": true, esbuild: true } : { esbuild: true });
      // The other templates have no jobs: never better-sqlite3.
      const api = join(work, `sqlite-api-${node}`);
      await scaffold({ dir: api, template: findTemplate("api")!, tandem: "^9.9.9", node });
      assert.equal("better-sqlite3" in JSON.parse(readFileSync(join(api, "package.json"), "utf8")).dependencies, false);
    });
  }
});
