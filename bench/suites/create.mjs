import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// A new app in one command (issue 17, targets): `npm create tandem` (from the packed tarballs,
// `full` template) to its first page served by `tandem dev`, against `create-next-app` (its
// defaults, what `npx create-next-app@latest` then Enter gives) to its first page under
// `next dev`, both from a warm npm cache; and the node_modules of a fresh `minimal` app against
// a fresh create-next-app's. A warm-up round of each fills the cache (packuments, tarballs,
// prebuilt binaries); the measured rounds alternate which goes first. Runs only when named.

export const title = "New app (`npm create tandem` vs `create-next-app`)";
export const optIn = true;

const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));
const REPO_DIR = join(BENCH_DIR, "..");
const NEXT_CREATE = process.env.BENCH_CREATE_NEXT ?? "create-next-app@16.4.3";
const ROUNDS = Number(process.env.BENCH_CREATE_ROUNDS ?? 1);
const PORT = 4410;

const env = (() => {
  const { NODE_ENV: _, NODE_OPTIONS: __, ...rest } = process.env;
  return {
    ...rest,
    NEXT_TELEMETRY_DISABLED: "1",
    SCARF_ANALYTICS: "false",
    npm_config_prefer_offline: "true",
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
  };
})();

export const servers = [
  { name: "tandem", label: "`npm create tandem` (full) + `tandem dev`", version: () => "tandem 0.1.0 (packed)" },
  { name: "next", label: `\`npx ${NEXT_CREATE} --yes\` + \`next dev\``, version: () => NEXT_CREATE },
];

// The harness pins itself to one core and children inherit that: npm and the dev servers get every core.
let everyCore = (cmd, args) => [cmd, args];

function exec(cmd, args, cwd) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(...everyCore(cmd, args), { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c) => (output += c));
    child.stderr.on("data", (c) => (output += c));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`${cmd} ${args.join(" ")} exited with ${code}:\n${output.slice(-3000)}`));
      else resolve(performance.now() - started);
    });
  });
}

/** Spawn to the first 200 whose body `isFull` accepts; the server is stopped after. */
async function firstPage(cmd, args, cwd, url, isFull) {
  const started = performance.now();
  const child = spawn(...everyCore(cmd, args), { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout.on("data", (c) => (output += c));
  child.stderr.on("data", (c) => (output += c));
  const exited = new Promise((resolve) => child.on("exit", resolve));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${cmd} ${args.join(" ")} exited:\n${output.slice(-3000)}`);
      if (performance.now() - started > 180_000) throw new Error(`no full page from ${url} in 180 s:\n${output.slice(-3000)}`);
      const body = await fetch(url).then(
        (res) => (res.status === 200 ? res.text() : ""),
        () => "",
      );
      if (isFull(body)) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
    await exited;
  }
}

const du = (dir) => Number(spawnSync("du", ["-sb", dir], { encoding: "utf8" }).stdout.split("\t")[0]);
const fileCount = (dir) => Number(spawnSync("sh", ["-c", `find "${dir}" -type f | wc -l`], { encoding: "utf8" }).stdout.trim());

/** The largest packages of a node_modules folder (scoped ones per package), in bytes. */
function largest(dir, n = 12) {
  const rows = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith(".")) continue;
    const path = join(dir, name);
    if (!statSync(path).isDirectory()) continue;
    if (name.startsWith("@")) for (const inner of readdirSync(path)) rows.push([`${name}/${inner}`, du(join(path, inner))]);
    else rows.push([name, du(path)]);
  }
  return rows.sort((a, b) => b[1] - a[1]).slice(0, n);
}

function pack(work) {
  const one = (dir) =>
    spawnSync("npm", ["pack", "--silent", "--pack-destination", work], { cwd: dir, env, encoding: "utf8" }).stdout.trim().split("\n").pop();
  return { tandem: join(work, one(join(REPO_DIR, "packages/tandem"))), create: join(work, one(join(REPO_DIR, "packages/create-tandem"))) };
}

/** `npm create tandem <name> --template <template>` from the packed tarballs; resolves to its ms. */
function createTandem(tarballs, dir, name, template) {
  const args = ["exec", "--yes", `--package=${tarballs.create}`, "--", "create-tandem", name, "--template", template];
  return exec("npm", [...args, "--tandem", `file:${tarballs.tandem}`], dir);
}

async function tandemRound(tarballs, log) {
  const dir = mkdtempSync(join(tmpdir(), "bench-create-tandem-"));
  try {
    const create = await createTandem(tarballs, dir, "app", "full");
    const app = join(dir, "app");
    const page = await firstPage(
      process.execPath,
      [join(app, "node_modules/tandem/bin/tandem.js"), "dev", "--port", String(PORT), "--host", "127.0.0.1"],
      app,
      `http://127.0.0.1:${PORT}/`,
      (html) => html.includes("<h1>Notes</h1>"),
    );
    log(`  tandem: create + install ${Math.round(create)} ms, dev to first page ${Math.round(page)} ms`);
    return { create, page, total: create + page };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function nextRound(log) {
  const dir = mkdtempSync(join(tmpdir(), "bench-create-next-"));
  try {
    const create = await exec("npx", ["--yes", NEXT_CREATE, "app", "--yes", "--use-npm", "--disable-git"], dir);
    const app = join(dir, "app");
    const page = await firstPage(
      process.execPath,
      [join(app, "node_modules/next/dist/bin/next"), "dev", "--port", String(PORT + 1), "--hostname", "127.0.0.1"],
      app,
      `http://127.0.0.1:${PORT + 1}/`,
      (html) => html.includes("</html>") && html.includes("<main"),
    );
    log(`  next: create + install ${Math.round(create)} ms, dev to first page ${Math.round(page)} ms`);
    return { create, page, total: create + page };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function sizes(tarballs, log) {
  const dir = mkdtempSync(join(tmpdir(), "bench-create-size-"));
  try {
    await createTandem(tarballs, dir, "minimal", "minimal");
    await exec("npx", ["--yes", NEXT_CREATE, "next", "--yes", "--use-npm", "--disable-git"], dir);
    const out = {};
    for (const name of ["minimal", "next"]) {
      const modules = join(dir, name, "node_modules");
      out[name] = { bytes: du(modules), files: fileCount(modules), top: largest(modules) };
      log(`  ${name}: ${(out[name].bytes / 1e6).toFixed(1)} MB, ${out[name].files} files`);
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const secs = (ms) => (ms / 1000).toFixed(1);
const mb = (bytes) => (bytes / 1e6).toFixed(1);

export async function run(ctx) {
  const log = ctx.log;
  if (ctx.pinning.enabled) everyCore = (cmd, args) => ["taskset", ["-c", `0-${cpus().length - 1}`, cmd, ...args]];
  const work = mkdtempSync(join(tmpdir(), "bench-create-packs-"));
  try {
    const tarballs = pack(work);
    log("create: warm-up round (fills the npm cache)");
    await tandemRound(tarballs, log);
    await nextRound(log);
    const samples = { tandem: [], next: [] };
    for (let round = 0; round < ROUNDS; round++) {
      log(`create: round ${round + 1} of ${ROUNDS}`);
      const order = round % 2 === 0 ? ["next", "tandem"] : ["tandem", "next"];
      for (const name of order) samples[name].push(name === "tandem" ? await tandemRound(tarballs, log) : await nextRound(log));
    }
    log("create: node_modules of a fresh minimal app and a fresh create-next-app");
    const size = await sizes(tarballs, log);

    const row = (name) => {
      const pick = (key) => median(samples[name].map((s) => s[key]));
      const modules = name === "tandem" ? size.minimal : size.next;
      return {
        server: name,
        label: servers.find((s) => s.name === name).label,
        values: { total: pick("total"), create: pick("create"), page: pick("page"), modules: modules.bytes, files: modules.files },
      };
    };
    const rows = [row("tandem"), row("next")];
    const [t, n] = rows.map((r) => r.values);
    const top = (name) => size[name].top.map(([pkg, bytes]) => `${pkg} ${mb(bytes)}`).join(", ");
    return [
      {
        title: "Create to first page, and node_modules",
        description:
          `${ROUNDS} measured round(s) after a warm-up round of each, npm ${spawnSync("npm", ["--version"], { encoding: "utf8" }).stdout.trim()}, ` +
          "`npm_config_prefer_offline=true`. Total: the create command (scaffold and `npm install`) plus spawn of the dev server to the " +
          "first 200 holding the page (`<h1>Notes</h1>` for Tandem's full template, the default page for Next.js). node_modules: `du -sb` of a fresh " +
          "`minimal` app (Tandem row) and of a fresh create-next-app with its defaults (Next.js row)." +
          `\n\nTargets: total ${(t.total / n.total).toFixed(2)}x create-next-app's (at most 0.50x): ${t.total / n.total <= 0.5 ? "met" : "missed"}; ` +
          `node_modules ${(t.modules / n.modules).toFixed(2)}x (at most 0.50x): ${t.modules / n.modules <= 0.5 ? "met" : "missed"}.` +
          `\n\nLargest in Tandem's minimal app (MB): ${top("minimal")}.\n\nLargest in create-next-app's (MB): ${top("next")}.`,
        metrics: [
          { key: "total", label: "create to first page, s", short: "total s", format: secs, ratio: true },
          { key: "create", label: "create + install, s", short: "create s", format: secs, ratio: true },
          { key: "page", label: "dev server to first page, s", short: "dev s", format: secs, ratio: true },
          { key: "modules", label: "node_modules, MB", short: "MB", format: mb, ratio: true },
          { key: "files", label: "node_modules files", format: String, ratio: true },
        ],
        rows,
      },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
