import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

const POLL_MS = 5;
const TAIL_BYTES = 8192;
// utime and stime in /proc/<pid>/stat are counted in clock ticks (100 per second on Linux builds
// we know of, but ask rather than assume).
const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

export async function freePort() {
  const server = createServer();
  await new Promise((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One GET; resolves the status, or null when nothing is listening yet. */
function probe(url) {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.once("end", () => resolve(res.statusCode));
      res.once("error", () => resolve(null));
    });
    req.once("timeout", () => req.destroy());
    req.once("error", () => resolve(null));
    req.end();
  });
}

function readRssKb(pid) {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // the process exited between listing and reading
  }
}

function readCpuTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]); // utime, stime
  } catch {
    return 0;
  }
}

function childrenOf(pid) {
  const kids = [];
  try {
    for (const task of readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/)) {
      if (task) kids.push(Number(task));
    }
  } catch {
    // no such process any more: no children either
  }
  return kids;
}

/**
 * A server under test. Spawned in its own process group so that stopping it also stops any
 * workers it forked; RSS is summed over the whole tree for the same reason.
 */
export class ServerProcess {
  #child;
  #tail = "";
  #exit;
  #watchers = new Set();

  constructor({ cmd, args, cwd, env }) {
    this.#child = spawn(cmd, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const keep = (chunk) => {
      this.#tail = (this.#tail + chunk).slice(-TAIL_BYTES);
      for (const watcher of this.#watchers) watcher(chunk);
    };
    this.#child.stdout.setEncoding("utf8").on("data", keep);
    this.#child.stderr.setEncoding("utf8").on("data", keep);
    this.#exit = new Promise((resolve) => {
      this.#child.once("exit", (code, signal) => resolve({ code, signal }));
      this.#child.once("error", (error) => resolve({ code: null, signal: null, error }));
    });
  }

  get pid() {
    return this.#child.pid;
  }

  get output() {
    return this.#tail;
  }

  /**
   * Resolves performance.now() at the first output chunk matching `pattern` (a line the server
   * prints when it listens, say), or undefined if the process exits first.
   */
  whenPrinted(pattern) {
    return new Promise((resolve) => {
      const watcher = (chunk) => {
        if (!pattern.test(chunk)) return;
        this.#watchers.delete(watcher);
        resolve(performance.now());
      };
      this.#watchers.add(watcher);
      this.#exit.then(() => {
        this.#watchers.delete(watcher);
        resolve(undefined);
      });
    });
  }

  /** Resolves { code, signal } (or { error }) when the process has exited. */
  get exited() {
    return this.#exit;
  }

  /** Polls `url` every few ms; resolves ms from `startedAt` to the first 200. */
  async waitReady(url, startedAt, timeoutMs) {
    let exited = null;
    this.#exit.then((result) => (exited = result));
    while (performance.now() - startedAt < timeoutMs) {
      if (exited) {
        const why = exited.error ? exited.error.message : `code ${exited.code}, signal ${exited.signal}`;
        throw new Error(`server exited before answering 200 (${why})\n${this.#tail}`);
      }
      const status = await probe(url);
      if (status === 200) return performance.now() - startedAt;
      await sleep(POLL_MS);
    }
    throw new Error(`no 200 from ${url} within ${timeoutMs} ms\n${this.#tail}`);
  }

  #tree() {
    const pids = [];
    const pending = [this.pid];
    while (pending.length) {
      const pid = pending.pop();
      pids.push(pid);
      pending.push(...childrenOf(pid));
    }
    return pids;
  }

  /** Resident memory of the server and every process under it, in MB. */
  rssMb() {
    return this.#tree().reduce((kb, pid) => kb + readRssKb(pid), 0) / 1024;
  }

  /**
   * CPU seconds (user + system) the server and every process under it have used so far.
   * On a machine shared with other work, requests per CPU second stays comparable between
   * servers when requests per second does not: it does not count time the server spent waiting
   * for a core. (A child that already exited is not counted; servers here keep theirs alive.)
   */
  cpuSeconds() {
    return this.#tree().reduce((ticks, pid) => ticks + readCpuTicks(pid), 0) / CLOCK_TICKS;
  }

  async stop() {
    const group = -this.pid;
    try {
      process.kill(group, "SIGTERM");
    } catch {
      return; // already gone
    }
    const timedOut = await Promise.race([this.#exit.then(() => false), sleep(5000).then(() => true)]);
    if (timedOut) {
      try {
        process.kill(group, "SIGKILL");
      } catch {
        // exited just now
      }
      await this.#exit;
    }
    // Workers of the group may outlive the leader briefly; give the port back before the next start.
    try {
      process.kill(group, "SIGKILL");
    } catch {
      // the whole group is gone, as expected
    }
  }
}
