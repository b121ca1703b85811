// Shared by the server tests: a real server on 127.0.0.1:0 and a raw TCP client for byte-exact requests.
import { connect, type Socket } from "node:net";
import type { TestContext } from "node:test";
import { serve } from "../../src/node.js";
import type { RunningServer, ServeOptions } from "../../src/server/types.js";

export interface Logged {
  errors: unknown[][];
  logger: Pick<Console, "error" | "warn" | "info">;
}

export function captureLogs(): Logged {
  const errors: unknown[][] = [];
  return { errors, logger: { error: (...args: unknown[]) => errors.push(args), warn: () => {}, info: () => {} } };
}

/** Starts a server for one test and closes it when the test ends. */
export async function start(t: TestContext, options: Partial<ServeOptions> & Pick<ServeOptions, "fetch">): Promise<RunningServer> {
  const server = await serve({ port: 0, host: "127.0.0.1", logger: captureLogs().logger, ...options });
  t.after(() => server.close());
  return server;
}

export interface RawResult {
  /** Everything the server sent, as latin1 text. */
  text: string;
  /** Status codes of every response in `text`, in order. */
  statuses: number[];
  /** True when the server closed the connection. */
  closed: boolean;
}

function statusesOf(text: string): number[] {
  return [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
}

/** Opens a socket; resolves when connected. */
export function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: "127.0.0.1" }, () => resolve(socket));
    socket.once("error", reject);
  });
}

/** How many complete responses (by Content-Length or a final chunk) `text` holds. */
function completeResponses(text: string): number {
  let count = 0;
  let at = 0;
  for (;;) {
    const end = text.indexOf("\r\n\r\n", at);
    if (end === -1) return count;
    const head = text.slice(at, end);
    const length = /\r\ncontent-length: (\d+)/i.exec(head);
    let next: number;
    if (length) next = end + 4 + Number(length[1]);
    else if (/\r\ntransfer-encoding: chunked/i.test(head)) {
      const last = text.indexOf("\r\n0\r\n\r\n", end);
      if (last === -1) return count;
      next = last + 7;
    } else next = end + 4;
    if (next > text.length) return count;
    count++;
    at = next;
  }
}

/**
 * Sends raw bytes and collects the reply until the server closes the socket, until `expect`
 * complete responses arrived, or until `idleMs` pass without new data, whichever comes first.
 */
export function raw(port: number, data: string | Buffer | Array<string | Buffer>, idleMs = 1000, expect = 1): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: "127.0.0.1" });
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString("latin1");
      resolve({ text, statuses: statusesOf(text), closed });
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(false), idleMs);
    };
    socket.on("connect", () => {
      for (const part of Array.isArray(data) ? data : [data]) socket.write(part);
      arm();
    });
    socket.on("data", (chunk) => {
      chunks.push(chunk);
      // Complete: give the server a moment to close the socket, so `closed` can be asserted.
      if (completeResponses(Buffer.concat(chunks).toString("latin1")) >= expect) {
        clearTimeout(timer);
        timer = setTimeout(() => finish(false), 150);
      } else arm();
    });
    socket.on("close", () => finish(true));
    socket.on("error", (error: NodeJS.ErrnoException) => {
      // A reset after a complete answer still counts as "closed by the server".
      if (error.code === "ECONNRESET") finish(true);
      else reject(error);
    });
  });
}

/** Reads from an open socket until `predicate` holds on everything read so far. */
export function readUntil(socket: Socket, predicate: (text: string) => boolean, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting; got ${JSON.stringify(text)}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      text += chunk.toString("latin1");
      if (predicate(text)) {
        cleanup();
        resolve(text);
      }
    };
    const cleanup = () => {
      clearTimeout(timer);
      socket.off("data", onData);
    };
    socket.on("data", onData);
  });
}

export function closedSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.once("close", () => resolve());
    // 'end' (and so 'close') only comes once unread data is consumed.
    socket.resume();
  });
}

export function get(host = "localhost", path = "/", extra = ""): string {
  return `GET ${path} HTTP/1.1\r\nHost: ${host}\r\n${extra}\r\n`;
}
