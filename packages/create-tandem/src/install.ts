import { spawn } from "node:child_process";

/** The package manager that ran `create` (npm, pnpm, yarn or bun), from the user agent it sets. */
export function packageManager(userAgent = process.env.npm_config_user_agent ?? ""): string {
  const name = /^(npm|pnpm|yarn|bun)\//.exec(userAgent)?.[1];
  return name ?? "npm";
}

/** Runs `<pm> install` in the new app with the terminal attached; resolves with its exit code. */
export function install(dir: string, pm: string): Promise<number> {
  return new Promise((resolve) => {
    // npm on Windows is npm.cmd, which only a shell finds.
    const child = spawn(pm, ["install"], { cwd: dir, stdio: "inherit", shell: process.platform === "win32" });
    child.on("error", () => resolve(127));
    child.on("close", (code) => resolve(code ?? 1));
  });
}
