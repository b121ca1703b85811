// Runs the real `tandem` CLI (the built dist) as a child process, as a user would.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { waitForReady } from "tandem-test-support/processes";

export const TANDEM_BIN = fileURLToPath(new URL("../../bin/tandem.js", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TANDEM_BIN, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`tandem ${args.join(" ")} timed out\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 120_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface StartedServer {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts a long-running command (`start`, `dev`, `worker`) and resolves once it prints `ready`
 * (default: its URL, which becomes `url`).
 */
export async function startCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; ready?: RegExp } = {},
): Promise<StartedServer> {
  const child = spawn(process.execPath, [TANDEM_BIN, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env } });
  const { url, output } = await waitForReady(child, {
    name: `tandem ${args.join(" ")}`,
    ...(options.ready ? { ready: options.ready } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  return {
    url,
    child,
    output,
    stop: (signal = "SIGTERM") =>
      new Promise((done) => {
        // Already gone: a process killed by a signal has no exit code and will not emit "exit" again.
        if (child.exitCode !== null || child.signalCode !== null) return done(child.exitCode);
        child.once("exit", (code) => done(code));
        child.kill(signal);
      }),
  };
}
