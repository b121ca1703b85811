// Every command: `--help` prints its usage and exits 0 without touching the project; an unknown
// flag, an unexpected argument or a bad value is one line naming the fix, exit 2, no stack.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { COMMANDS } from "../../src/cli/commands.js";
import { runCli } from "../support/cli.js";
import { createProject } from "../support/project.js";

// No app/ and no build: help and usage errors must come before anything looks for them.
const empty = createProject({ "README.md": "not an app\n" });
after(() => empty.remove());

const oneLine = (text: string) => text.endsWith("\n") && !text.slice(0, -1).includes("\n");

describe("--help", () => {
  test("tandem --help lists every command", async () => {
    const res = await runCli(["--help"]);
    assert.equal(res.code, 0);
    for (const name of Object.keys(COMMANDS)) assert.match(res.stdout, new RegExp(`^ {2}${name} `, "m"));
  });

  for (const [name, spec] of Object.entries(COMMANDS)) {
    test(`tandem ${name} --help`, async () => {
      for (const flag of ["--help", "-h"]) {
        const res = await runCli([name, empty.root, flag], { cwd: empty.root });
        assert.equal(res.code, 0, res.stderr);
        assert.equal(res.stderr, "");
        assert.ok(res.stdout.startsWith(`Usage: tandem ${name} `), res.stdout);
        for (const option of Object.keys(spec.options)) assert.match(res.stdout, new RegExp(`--${option}\\b`), `${name} --${option}`);
      }
    });
  }
});

describe("bad command lines exit 2 with one line", () => {
  for (const name of Object.keys(COMMANDS)) {
    test(`tandem ${name} --bogus`, async () => {
      const res = await runCli([name, empty.root, "--bogus"], { cwd: empty.root });
      assert.equal(res.code, 2);
      assert.ok(oneLine(res.stderr), res.stderr);
      assert.equal(res.stderr, `tandem ${name}: unknown option '--bogus'; see tandem ${name} --help [TND_ERR_CLI_USAGE]\n`);
    });
  }

  const cases: Array<[string[], RegExp]> = [
    [
      ["dev", "--port", "abc"],
      /^tandem dev: invalid port "abc": use an integer from 0 to 65535, e\.g\. --port 3000; see tandem dev --help/,
    ],
    [["start", "--role", "both"], /^tandem start: --role must be all, web or worker, got "both"; see tandem start --help/],
    [["start", "--port"], /^tandem start: option '-p, --port <value>' argument missing; see tandem start --help/],
    [["build", "one", "two"], /^tandem build: unexpected argument "two" \(tandem build takes \[project dir\]\); see tandem build --help/],
    [["routes", "--port", "3000"], /^tandem routes: unknown option '--port'; see tandem routes --help/],
    [["typegen", "--out"], /^tandem typegen: option '--out <value>' argument missing; see tandem typegen --help/],
  ];
  for (const [args, expected] of cases) {
    test(`tandem ${args.join(" ")}`, async () => {
      const res = await runCli(args, { cwd: empty.root });
      assert.equal(res.code, 2, res.stderr);
      assert.ok(oneLine(res.stderr), res.stderr);
      assert.match(res.stderr, expected);
    });
  }

  test("PORT from the environment is checked the same way", async () => {
    const res = await runCli(["start"], { cwd: empty.root, env: { PORT: "http" } });
    assert.equal(res.code, 2);
    assert.match(res.stderr, /^tandem start: PORT="http": use an integer from 0 to 65535/);
  });
});

test(".env files in Next.js's order: .env.<mode>.local, .env.local, .env.<mode>, .env", async () => {
  const project = createProject({
    ".env": "PORT=env\n",
    ".env.production": "PORT=env-production\n",
    ".env.development": "PORT=env-development\n",
    ".env.local": "PORT=env-local\n",
    ".env.production.local": "PORT=env-production-local\n",
  });
  const port = async (env: NodeJS.ProcessEnv = {}): Promise<string | undefined> =>
    /PORT="([^"]+)"/.exec((await runCli(["start", project.root], { env: { NODE_ENV: "production", ...env } })).stderr)?.[1];
  try {
    assert.equal(await port(), "env-production-local");
    rmSync(join(project.root, ".env.production.local"));
    assert.equal(await port(), "env-local");
    assert.equal(await port({ NODE_ENV: "test" }), "env", "NODE_ENV=test skips .env.local and reads no .env.test");
    rmSync(join(project.root, ".env.local"));
    assert.equal(await port(), "env-production");
    assert.equal(await port({ NODE_ENV: "development" }), "env-development");
    rmSync(join(project.root, ".env.production"));
    assert.equal(await port(), "env");
    assert.equal(await port({ PORT: "real" }), "real", "the environment wins over every file");
  } finally {
    project.remove();
  }
});

test("the project's .env is read before the flags are checked, and the environment wins", async () => {
  const project = createProject({ ".env": "# a comment\nPORT=from-dotenv\n" });
  try {
    const fromFile = await runCli(["start", project.root]);
    assert.equal(fromFile.code, 2);
    assert.match(fromFile.stderr, /PORT="from-dotenv"/);
    const fromEnv = await runCli(["start", project.root], { env: { PORT: "from-env" } });
    assert.match(fromEnv.stderr, /PORT="from-env"/);
  } finally {
    project.remove();
  }
});
