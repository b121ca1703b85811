// SIGTERM under keep-alive load with uploads (issue 16, item 3): 20 connections send requests back
// to back, GETs and 256 KiB POSTs, when the server gets SIGTERM. Every request must be answered,
// normally or with 503 and Connection: close, and none may meet a reset or a connection closed
// under it; the process must exit 0. TANDEM_RELIABILITY=full runs 5 rounds of 50 connections.
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { test } from "node:test";
import { completeStatuses, FULL, startFixture } from "./support.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const CONNECTIONS = FULL ? 50 : 20;
const ROUNDS = FULL ? 5 : 1;
const GET = Buffer.from("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n");
const UPLOAD = Buffer.concat([
  Buffer.from(`POST /upload HTTP/1.1\r\nHost: a.test\r\nContent-Length: ${256 * 1024}\r\n\r\n`),
  Buffer.alloc(256 * 1024, 97),
]);

/** Sends `data` on an open socket; the answer as "200", "503 close", ... or how it failed. */
function exchange(socket: Socket, data: Buffer): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    const done = (result: string) => {
      socket.removeAllListeners("data");
      socket.removeAllListeners("close");
      socket.removeAllListeners("error");
      socket.on("error", () => {});
      resolve(result);
    };
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
      const statuses = completeStatuses(text);
      if (statuses.length === 0) return;
      const head = text.slice(0, text.indexOf("\r\n\r\n"));
      done(`${statuses[0]}${/\r\nconnection: close/i.test(head) ? " close" : ""}`);
    });
    socket.on("error", (error: NodeJS.ErrnoException) => done(error.code ?? "error"));
    socket.on("close", () => done("closed without an answer"));
    if (!socket.writable) return done("closed before the request");
    socket.write(data);
  });
}

async function round(): Promise<{ answers: Map<string, number>; exitCode: number | null }> {
  const server = await startFixture("sigterm-server");
  const answers = new Map<string, number>();
  let signalled = false;
  const clients = Array.from({ length: CONNECTIONS }, async (_, i) => {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect({ port: server.port, host: "127.0.0.1" }, () => resolve(s));
      s.once("error", reject);
    });
    for (let n = 0; ; n++) {
      const answer = await exchange(socket, (i + n) % 3 === 0 ? UPLOAD : GET);
      answers.set(answer, (answers.get(answer) ?? 0) + 1);
      // Told to close (or failed): a client goes elsewhere; the test only counts.
      if (answer !== "200") break;
      if (signalled && n > 10_000) break;
    }
    socket.destroy();
  });
  await sleep(300);
  const exited = new Promise<number | null>((resolve) => server.process.once("exit", (code) => resolve(code)));
  server.process.kill("SIGTERM");
  signalled = true;
  await Promise.all(clients);
  const exitCode = await exited;
  await server.stop();
  return { answers, exitCode };
}

test(`SIGTERM under keep-alive load with uploads: ${CONNECTIONS} connections x ${ROUNDS}, no request reset`, async (t) => {
  const total = new Map<string, number>();
  for (let r = 0; r < ROUNDS; r++) {
    const { answers, exitCode } = await round();
    assert.equal(exitCode, 0);
    for (const [answer, n] of answers) total.set(answer, (total.get(answer) ?? 0) + n);
  }
  t.diagnostic(`answers: ${JSON.stringify(Object.fromEntries([...total].sort()))}`);
  const failed = [...total].filter(([answer]) => !/^(200|503)( close)?$/.test(answer));
  assert.deepEqual(failed, [], "every request answered");
  assert.ok((total.get("503 close") ?? 0) + (total.get("200 close") ?? 0) >= CONNECTIONS * ROUNDS, "every connection was told to close");
});
