// Starts this app as production runs it (`tandem build`, then `tandem start` on a free port), for the tests.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(dirname(createRequire(import.meta.url).resolve("tandem/package.json")), "bin", "tandem.js");

export interface App {
  url: string;
  stop(): Promise<void>;
}

function tandem(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, ...env } });
}

export async function build(): Promise<void> {
  const child = tandem(["build"]);
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const code = await new Promise((done) => child.on("close", done));
  if (code !== 0) throw new Error(`tandem build failed (exit ${code}):\n${output}`);
}

/** `tandem start` with its own data folder (jobs' SQLite file), removed by stop(). */
export function start(env: NodeJS.ProcessEnv = {}): Promise<App> {
  const data = mkdtempSync(join(tmpdir(), "tandem-app-"));
  const child = tandem(["start", "--port", "0", "--host", "127.0.0.1"], { TANDEM_DATA_DIR: data, ...env });
  let output = "";
  const exited = new Promise<void>((done) => child.on("exit", () => done()));
  return new Promise((resolve, reject) => {
    child.stderr.on("data", (chunk) => (output += chunk));
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url === undefined) return;
      resolve({
        url,
        async stop() {
          child.kill("SIGTERM");
          await exited;
          rmSync(data, { recursive: true, force: true });
        },
      });
    });
    child.on("exit", (code) => reject(new Error(`tandem start exited with ${code}:\n${output}`)));
  });
}
