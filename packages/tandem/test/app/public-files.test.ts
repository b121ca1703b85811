// public/ over a real server and a raw socket: a corpus of traversal spellings must never
// return a byte from outside the folder.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createApp } from "../../src/app/create-app.js";
import { serve, type RunningServer } from "tandem/node";
import { quietLogger } from "../support/matrix.js";

const SECRET = "TOP-SECRET-OUTSIDE-PUBLIC";
let dir: string;
let server: RunningServer;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "tandem-public-"));
  mkdirSync(join(dir, "public", "img"), { recursive: true });
  mkdirSync(join(dir, "app"));
  writeFileSync(join(dir, "secret.txt"), SECRET);
  writeFileSync(join(dir, "app", "secret.txt"), SECRET);
  writeFileSync(join(dir, "public", "hello.txt"), "hello");
  writeFileSync(join(dir, "public", "img", "logo.svg"), "<svg/>");
  writeFileSync(join(dir, "public", ".env"), SECRET);
  const app = createApp({ routes: [], publicDir: join(dir, "public") }, { logger: quietLogger });
  server = await serve({ fetch: app.fetch, port: 0, host: "127.0.0.1", handleSignals: false, logger: quietLogger });
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends the target byte for byte (fetch would normalize "../" away before it leaves). */
function raw(target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, "127.0.0.1");
    let out = "";
    socket.on("data", (d) => (out += d));
    socket.on("end", () => resolve(out));
    socket.on("error", reject);
    socket.write(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
  });
}

const dots = ["..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "%252e%252e", "..%00", "%c0%ae%c0%ae", "．．", "...", "...."];
const slashes = ["/", "%2f", "%2F", "\\", "%5c", "%5C", "%252f", "//", "/./"];
const targets = ["secret.txt", "app/secret.txt", "etc/passwd", ".env"];

function corpus(): string[] {
  const out = new Set<string>();
  for (const dot of dots) {
    for (const slash of slashes) {
      for (const target of targets) {
        for (const depth of [1, 2, 4]) {
          const up = Array.from({ length: depth }, () => dot + slash).join("");
          out.add(`/${up}${target}`);
          out.add(`/img/${up}${target}`);
          out.add(`/hello.txt${slash}${up}${target}`);
        }
      }
    }
  }
  return [...out];
}

test(`a corpus of traversal requests never leaves public/`, async () => {
  const requests = corpus();
  assert.ok(requests.length >= 500, `${requests.length} variants`);
  for (let i = 0; i < requests.length; i += 50) {
    const answers = await Promise.all(requests.slice(i, i + 50).map(async (target) => [target, await raw(target)] as const));
    for (const [target, answer] of answers) {
      assert.doesNotMatch(answer, new RegExp(SECRET), target);
      assert.match(answer, /^HTTP\/1\.1 (400|404|308) /, `${target}: ${answer.split("\r\n")[0]}`);
    }
  }
});

test("files inside public/ are served with type, validators and caching", async () => {
  const res = await fetch(`${server.url}/img/logo.svg`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "image/svg+xml");
  assert.equal(res.headers.get("cache-control"), "public, max-age=0, must-revalidate");
  const etag = res.headers.get("etag")!;
  assert.equal(await res.text(), "<svg/>");
  const again = await fetch(`${server.url}/img/logo.svg`, { headers: { "if-none-match": etag } });
  assert.equal(again.status, 304);
  const head = await fetch(`${server.url}/hello.txt`, { method: "HEAD" });
  assert.equal(head.headers.get("content-length"), "5");
  assert.equal((await fetch(`${server.url}/.env`)).status, 404);
  assert.equal((await fetch(`${server.url}/hello.txt`, { method: "POST" })).status, 404);
});
