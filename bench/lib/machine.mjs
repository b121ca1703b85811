import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

const NODE_MODULES = fileURLToPath(new URL("../node_modules/", import.meta.url));

function tryRun(cmd, args, cwd) {
  try {
    return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

/**
 * Installed version of a bench dependency. Read from the file, not through require.resolve:
 * packages whose "exports" leave out package.json (hono) cannot be resolved that way.
 */
export function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(`${NODE_MODULES}${name}/package.json`, "utf8")).version;
  } catch {
    return "not installed";
  }
}

export function machineInfo(benchDir) {
  return {
    date: new Date().toISOString(),
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? "unknown",
    memoryGb: (totalmem() / 1024 ** 3).toFixed(1),
    node: process.version,
    kernel: tryRun("uname", ["-r"]) ?? "unknown",
    commit: tryRun("git", ["rev-parse", "--short", "HEAD"], benchDir) ?? "unknown",
    load: readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" "),
  };
}
