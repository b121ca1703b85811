// Runs create-tandem from its TypeScript source as a child process, as `npm create` runs the bin.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
// Resolved here: the child runs in temp folders, where `--import tsx` would not find it.
export const TSX = import.meta.resolve("tsx");

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCreate(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const script = `import { main } from ${JSON.stringify(MAIN)}; await main(process.argv.slice(1));`;
    const child = spawn(process.execPath, ["--import", TSX, "--input-type=module", "-e", script, "--", ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.stdin.end(options.input ?? "");
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
