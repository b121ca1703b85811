import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";

// Server on core 0, load generator on core 1: with both on one core the generator steals the
// server's time and every framework looks the same. Without taskset or a second core we still
// run, unpinned, and say so in the results.
function hasTaskset() {
  try {
    execFileSync("taskset", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function createPinning() {
  const cores = availableParallelism();
  const enabled = cores >= 2 && hasTaskset();
  return {
    enabled,
    note: enabled
      ? "server pinned to core 0, load generator and harness to core 1 (taskset)"
      : `NOT pinned (${cores < 2 ? "only one core" : "taskset not found"}): numbers mix server and load generator`,
    /** Prefix a command so it runs on one core. */
    command(core, cmd, args) {
      return enabled ? ["taskset", ["-c", String(core), cmd, ...args]] : [cmd, args];
    },
    /** Move this harness process off the server's core. */
    pinSelf(core) {
      if (enabled) execFileSync("taskset", ["-cp", String(core), String(process.pid)], { stdio: "ignore" });
    },
  };
}
