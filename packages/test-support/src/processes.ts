// Child processes as the suites run them: a command's exit code and output, and a server that is
// ready once it prints its URL.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";

/**
 * The environment for a child that runs as users run it, not inside this suite's test runner:
 * without NODE_OPTIONS (tsx), NODE_TEST_CONTEXT (node:test would report to the parent) and NODE_ENV.
 */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of ["NODE_OPTIONS", "NODE_TEST_CONTEXT", "NODE_ENV"]) if (!(name in extra)) delete env[name];
  return env;
}

export interface Done {
  code: number | null;
  /** stdout and stderr, interleaved as they arrived. */
  output: string;
}

/** Runs a command to its end. */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Done> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", fail);
    child.on("close", (code) => done({ code, output }));
  });
}

/** Runs a command that must succeed; its output, or an assertion naming the command and its output. */
export async function ok(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const { code, output } = await run(command, args, options);
  assert.equal(code, 0, `${command} ${args.join(" ")}${options.cwd ? ` in ${options.cwd}` : ""} exited with ${code}:\n${output}`);
  return output;
}

export interface Ready {
  /** The first group of `ready` (a URL by default). */
  url: string;
  output: () => string;
}

/**
 * Resolves once `child` prints `ready` on stdout (default: "listening on <url>"); rejects, with
 * everything it printed, when it exits first or stays silent for `timeoutMs`, and then kills it.
 */
export function waitForReady(child: ChildProcess, options: { name: string; ready?: RegExp; timeoutMs?: number }): Promise<Ready> {
  const ready = options.ready ?? /listening on (http:\/\/\S+)/;
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no URL from ${options.name}:\n${output}`));
    }, options.timeoutMs ?? 60_000);
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.stdout?.on("data", (chunk) => {
      output += chunk;
      const found = ready.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve({ url: found[1] ?? "", output: () => output });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited with ${code}:\n${output}`));
    });
  });
}
