import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { TandemError } from "../errors/http-error.js";

// dist/testing/*.js and dist/chunks/*.js both sit two folders below the package root.
const BIN = fileURLToPath(new URL("../../bin/tandem.js", import.meta.url));

export interface Spawned {
  url: string;
  output(): string;
  /** Resolves with the output once it matches `pattern` (lines arrive after the response they are about). */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<string>;
  stop(): Promise<void>;
}

/** Runs a `tandem` command to completion; rejects with its output when it fails. */
export function runTandem(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(out);
      else reject(new TandemError("TND_ERR_TESTING_COMMAND", `tandem ${args.join(" ")} exited with ${code}:\n${out}`));
    });
  });
}

/** Starts `tandem start` or `tandem dev` and resolves with the URL it prints once it listens. */
export function startTandem(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Spawned> {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let out = "";
  let settled = false;
  // Checked on every chunk of output: waitForOutput's callers.
  const waiters = new Set<() => void>();
  const append = (chunk: Buffer): void => {
    out += chunk;
    for (const check of waiters) check();
  };
  const waitForOutput = (pattern: RegExp, waitMs: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (!pattern.test(out)) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(out);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(
          new TandemError(
            "TND_ERR_TESTING_COMMAND",
            `tandem ${args.join(" ")} printed nothing matching ${pattern} within ${waitMs} ms:\n${out}`,
          ),
        );
      }, waitMs);
      waiters.add(check);
      check();
    });
  return new Promise((resolve, reject) => {
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stopChild(child).then(() => reject(new TandemError("TND_ERR_TESTING_COMMAND", `tandem ${args.join(" ")} ${why}:\n${out}`)));
    };
    const timer = setTimeout(() => fail(`printed no URL within ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk: Buffer): void => {
      append(chunk);
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match === null || settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout.off("data", onData);
      child.stdout.on("data", append);
      resolve({ url: match[1]!, output: () => out, waitForOutput, stop: () => stopChild(child) });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", append);
    child.on("error", (error) => fail(`failed to start: ${error.message}`));
    child.on("exit", (code) => fail(`exited with ${code} before listening`));
  });
}

/** SIGTERM to the command's process group (Vite may have started workers), SIGKILL if it lingers. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => signal(child, "SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    signal(child, "SIGTERM");
  });
}

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, name);
  } catch {
    child.kill(name);
  }
}
