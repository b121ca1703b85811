// Shared by the reliability suite (docs/reliability.md). TANDEM_RELIABILITY=full runs the heavy
// variants: 100,000 fuzzed requests, the floods beside node:http and Fastify, 200,000 requests
// for the memory check.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { fileURLToPath } from "node:url";

export const FULL = process.env.TANDEM_RELIABILITY === "full";

/** A fixed seed unless one is given, so a failure can be replayed: TANDEM_RELIABILITY_SEED=... */
export const SEED = Number(process.env.TANDEM_RELIABILITY_SEED ?? 20261207);

export interface Reply {
  /** Complete responses, 1xx included. */
  statuses: number[];
  /** "reset" when the connection was reset, "timeout" when nothing settled it in time. */
  ending: "complete" | "closed" | "reset" | "timeout";
}

/** Status codes of the complete responses in `text` (by Content-Length; bodiless statuses too). */
export function completeStatuses(text: string): number[] {
  const statuses: number[] = [];
  let at = 0;
  for (;;) {
    const end = text.indexOf("\r\n\r\n", at);
    if (end === -1) return statuses;
    const head = text.slice(at, end);
    const status = /^HTTP\/1\.1 (\d{3})/.exec(head);
    if (status === null) return statuses;
    const length = /\r\ncontent-length: (\d+)/i.exec(head);
    const next = end + 4 + (length ? Number(length[1]) : 0);
    if (next > text.length) return statuses;
    statuses.push(Number(status[1]));
    at = next;
  }
}

/** Sends raw bytes on a new connection; settles at the first complete response, a close, or `timeoutMs`. */
export function send(port: number, data: Buffer, timeoutMs: number): Promise<Reply> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    let text = "";
    let settled = false;
    const settle = (ending: Reply["ending"]) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ statuses: completeStatuses(text), ending });
    };
    const timer = setTimeout(() => settle("timeout"), timeoutMs);
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
      // 100 Continue is not the answer: wait for the final one.
      if (completeStatuses(text).some((status) => status >= 200)) settle("complete");
    });
    socket.on("error", (error: NodeJS.ErrnoException) =>
      settle(error.code === "ECONNRESET" || error.code === "EPIPE" ? "reset" : "closed"),
    );
    socket.on("close", () => settle("closed"));
    socket.on("connect", () => socket.write(data));
  });
}

/** Runs `task` over `items` with at most `width` at once. */
export async function pool<T, R>(items: readonly T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Resident memory of a process in bytes, from /proc (Linux). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

export interface Child {
  process: ChildProcess;
  port: number;
  /** Everything the child printed on stdout so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts a fixture (test/reliability/fixtures/NAME.ts) with tsx; resolves once it printed "listening PORT". */
export function startFixture(name: string, args: string[] = [], nodeFlags: string[] = []): Promise<Child> {
  const file = fileURLToPath(new URL(`./fixtures/${name}.ts`, import.meta.url));
  const child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", file, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    const check = setInterval(() => {
      const port = /listening (\d+)/.exec(out)?.[1];
      if (port !== undefined) {
        clearInterval(check);
        resolve({
          process: child,
          port: Number(port),
          output: () => out,
          stop: async () => {
            if (child.exitCode === null) child.kill("SIGKILL");
            await exited;
          },
        });
      } else if (child.exitCode !== null) {
        clearInterval(check);
        reject(new Error(`fixture ${name} exited: ${err}`));
      }
    }, 20);
  });
}

/** A connection to a server under test. */
export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: "127.0.0.1" }, () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Writes `request` on a keep-alive connection; resolves once the HTML page it answers has arrived. */
export function askPage(socket: Socket, request: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let text = "";
    const onData = (chunk: Buffer) => {
      text += chunk.toString("latin1");
      if (!text.endsWith("</html>")) return;
      socket.off("data", onData);
      socket.off("close", onClose);
      resolve();
    };
    const onClose = () => reject(new Error("the server closed the connection"));
    socket.on("data", onData);
    socket.once("close", onClose);
    socket.write(request);
  });
}
