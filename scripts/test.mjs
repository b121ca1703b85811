// Runs the whole suite: type check (type tests are tests), then node:test over every *.test.ts.
// TypeScript runs through tsx so tests exercise the source; the CLI tests build dist first.
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const roots = ["packages/tandem/test", "packages/create-tandem/test", "examples/board/test"];
// `--again`: the tests only, for a second Node.js version in CI (.ci/run) after a full run on the
// first has checked formatting and types and built dist; those do not depend on the version.
const again = process.argv.includes("--again");
const filter = process.argv.slice(2).filter((arg) => arg !== "--again");

function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === "node_modules" || name === "fixtures") continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

const files = roots
  .flatMap((r) => walk(r, []))
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort();

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** The newest modification time under `dir` (0 when it does not exist). */
function newest(dir) {
  let time = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const p = join(dir, entry.name);
    time = Math.max(time, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return time;
}

if (filter.length > 0) {
  // Tests import the package as users do (tandem/server, tandem/node ...), which resolves through
  // its exports map to dist/: a filtered run rebuilds dist first when src/ changed since, so
  // that it never tests yesterday's build. The full run below always builds.
  let built = 0;
  try {
    built = statSync("packages/tandem/dist/cli/main.js").mtimeMs;
  } catch {}
  if (built < newest("packages/tandem/src")) {
    process.stdout.write("# packages/tandem/src is newer than dist: npm run build -w tandem\n");
    run("npm", ["run", "build", "-w", "tandem"]);
  }
}

if (filter.length === 0 && !again) {
  // Formatting and lint first: the cheapest check, and a failure names the file and line.
  run("npx", ["biome", "check", "."]);
  run("npm", ["run", "build", "-w", "tandem"]);
  run("npx", ["tsc", "-p", "packages/tandem", "--noEmit"]);
  run("npx", ["tsc", "-p", "packages/create-tandem", "--noEmit"]);
  // The example's scripts import its generated route types; a fresh clone has none yet.
  run(process.execPath, ["packages/tandem/bin/tandem.js", "typegen", "examples/board"]);
  run("npx", ["tsc", "-p", "examples/board", "--noEmit"]);
}
// Tests that install the packed package into a fresh app take minutes (npm install compiles
// better-sqlite3): they run beside the rest with their own time limit, and print when done.
// create-tandem's tests run npm and scaffold apps: minutes under load, one file after another.
const isLong = (file) => file.includes("packages/create-tandem/test/");
const long = files.filter(isLong);
let longRun;
if (long.length > 0) {
  const child = spawn(process.execPath, ["--import", "tsx", "--test", "--test-timeout=1500000", ...long], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  longRun = new Promise((resolve) => child.on("close", (code) => resolve({ code, output })));
}
// `node --test` with no files would look for tests itself, find this script and run the full
// suite (its build wiping dist under the long tests): a filter that selects only long tests
// runs only those.
const short = files.filter((f) => !isLong(f));
// node --test applies --test-timeout to each file as a whole as well as to each test in it. It is
// the guard against a hung file, not a speed check: the heaviest files (the example in one mode: a
// build, fourteen tests, three Chromium sessions) take 60 to 120 s beside create-tandem's installs
// on 2 cores, so a 120 s budget failed them on load alone.
const main =
  short.length > 0 || long.length === 0
    ? spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=3", "--test-timeout=300000", ...short], {
        stdio: "inherit",
      })
    : { status: 0 };
let status = main.status ?? 1;
if (longRun !== undefined) {
  const { code, output } = await longRun;
  process.stdout.write(`\n# ${long.join(", ")}\n${output}`);
  if (code !== 0) status = status || (code ?? 1);
}
process.exit(status);
