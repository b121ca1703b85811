// WebSocket protocol cases in the style of the Autobahn testsuite (which ws itself is tested
// with), against a Tandem socket route over a raw TCP connection: framing, control frames,
// fragmentation, UTF-8, close codes and limits. The server must echo what is valid and close
// what is not with the code RFC 6455 asks for, never hang, never crash. Not the full suite
// (that needs its Python fuzzing client); the cases of its sections 1 to 7 and 9 that apply.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import { defineSocket } from "tandem/realtime";
import { startServer, type TestServer } from "../realtime/helpers.js";

const TEXT = 1;
const BINARY = 2;
const CLOSE = 8;
const PING = 9;
const PONG = 10;
const CONTINUATION = 0;

/** A client frame: masked unless told otherwise. */
function frame(
  opcode: number,
  payload: Buffer | string = Buffer.alloc(0),
  options: { fin?: boolean; rsv?: number; mask?: boolean } = {},
): Buffer {
  const data = typeof payload === "string" ? Buffer.from(payload) : payload;
  const { fin = true, rsv = 0, mask = true } = options;
  const head: number[] = [(fin ? 0x80 : 0) | (rsv << 4) | opcode];
  const maskBit = mask ? 0x80 : 0;
  if (data.length < 126) head.push(maskBit | data.length);
  else if (data.length < 65536) head.push(maskBit | 126, data.length >> 8, data.length & 255);
  else {
    head.push(maskBit | 127, 0, 0, 0, 0);
    head.push((data.length >>> 24) & 255, (data.length >>> 16) & 255, (data.length >>> 8) & 255, data.length & 255);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), data]);
  const key = randomBytes(4);
  const masked = Buffer.from(data);
  for (let i = 0; i < masked.length; i++) masked[i]! ^= key[i % 4]!;
  return Buffer.concat([Buffer.from(head), key, masked]);
}

const closeFrame = (code: number, reason = "") => {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return frame(CLOSE, payload);
};

interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

/** A raw WebSocket client: the frames the server sent, and whether it closed the TCP connection. */
class Raw {
  readonly frames: ServerFrame[] = [];
  closed = false;
  #buffer = Buffer.alloc(0);
  #waiters: Array<() => void> = [];
  constructor(readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#parse();
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      this.closed = true;
      this.#wake();
    });
  }

  static async open(port: number): Promise<Raw> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect({ port, host: "127.0.0.1" }, () => resolve(s));
      s.once("error", reject);
    });
    const key = randomBytes(16).toString("base64");
    socket.write(
      `GET /echo HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    const head = await new Promise<Buffer>((resolve) => {
      let data = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        data = Buffer.concat([data, chunk]);
        const end = data.indexOf("\r\n\r\n");
        if (end === -1) return;
        socket.off("data", onData);
        if (end + 4 < data.length) socket.unshift(data.subarray(end + 4));
        resolve(data.subarray(0, end));
      };
      socket.on("data", onData);
    });
    assert.match(head.toString("latin1"), /^HTTP\/1\.1 101 /);
    return new Raw(socket);
  }

  #parse(): void {
    for (;;) {
      const b = this.#buffer;
      if (b.length < 2) return;
      let length = b[1]! & 127;
      let at = 2;
      if (length === 126) {
        if (b.length < 4) return;
        length = b.readUInt16BE(2);
        at = 4;
      } else if (length === 127) {
        if (b.length < 10) return;
        length = Number(b.readBigUInt64BE(2));
        at = 10;
      }
      if (b.length < at + length) return;
      this.frames.push({ opcode: b[0]! & 15, payload: b.subarray(at, at + length) });
      this.#buffer = b.subarray(at + length);
      this.#wake();
    }
  }

  #wake(): void {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }

  /** Waits until `predicate` holds on the frames (or the connection closed), at most 3 s. */
  async until(predicate: () => boolean): Promise<void> {
    const deadline = Date.now() + 3000;
    while (!predicate() && !this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  send(...frames: Buffer[]): void {
    for (const f of frames) this.socket.write(f);
  }

  /** The code of the server's close frame, once the connection is closed. */
  async closeCode(): Promise<number | undefined> {
    await this.until(() => this.closed);
    const close = this.frames.find((f) => f.opcode === CLOSE);
    return close === undefined ? undefined : close.payload.length >= 2 ? close.payload.readUInt16BE(0) : 1005;
  }

  texts(): string[] {
    return this.frames.filter((f) => f.opcode === TEXT).map((f) => f.payload.toString("utf8"));
  }
}

describe("WebSocket protocol cases (Autobahn style)", () => {
  let server: TestServer;
  let port: number;
  before(async () => {
    server = await startServer({
      sockets: { "/echo": defineSocket({ message: (peer, message) => peer.send(message) }) },
      realtime: { maxMessageSize: 64 * 1024 },
    });
    port = Number(new URL(server.url).port);
  });
  after(() => server.close());

  test("1.x / 2.x: text and binary of every length class are echoed; a ping gets its pong", async () => {
    const ws = await Raw.open(port);
    for (const size of [0, 125, 126, 65535]) ws.send(frame(TEXT, "a".repeat(size)));
    ws.send(frame(BINARY, Buffer.from([0, 1, 2, 255])), frame(PING, "p".repeat(125)));
    await ws.until(() => ws.frames.filter((f) => f.opcode !== PONG).length >= 5 && ws.frames.some((f) => f.opcode === PONG));
    assert.deepEqual(
      ws.texts().map((t) => t.length),
      [0, 125, 126, 65535],
    );
    assert.deepEqual([...ws.frames.find((f) => f.opcode === BINARY)!.payload], [0, 1, 2, 255]);
    assert.equal(ws.frames.find((f) => f.opcode === PONG)!.payload.toString(), "p".repeat(125));
    ws.send(closeFrame(1000));
    assert.equal(await ws.closeCode(), 1000);
  });

  test("5.x: a fragmented message with a ping in between is echoed whole, after the pong", async () => {
    const ws = await Raw.open(port);
    ws.send(
      frame(TEXT, "frag", { fin: false }),
      frame(PING, "mid"),
      frame(CONTINUATION, "ment", { fin: false }),
      frame(CONTINUATION, "ed"),
    );
    await ws.until(() => ws.texts().length === 1);
    assert.deepEqual(ws.texts(), ["fragmented"]);
    assert.ok(ws.frames.findIndex((f) => f.opcode === PONG) < ws.frames.findIndex((f) => f.opcode === TEXT));
    ws.socket.destroy();
  });

  const violations: Array<[string, Buffer[], number]> = [
    ["2.5 ping payload over 125 bytes", [frame(PING, "p".repeat(126))], 1002],
    ["3.1 RSV1 without an extension", [frame(TEXT, "x", { rsv: 4 })], 1002],
    ["3.7 RSV bits on a close frame", [frame(CLOSE, Buffer.from([3, 232]), { rsv: 7 })], 1002],
    ["4.1 reserved data opcode 3", [frame(3, "x")], 1002],
    ["4.2 reserved control opcode 11", [frame(11, "x")], 1002],
    ["5.1 ping fragmented", [frame(PING, "x", { fin: false })], 1002],
    ["5.9 continuation with nothing to continue", [frame(CONTINUATION, "x")], 1002],
    ["5.18 text started inside a fragmented text", [frame(TEXT, "a", { fin: false }), frame(TEXT, "b")], 1002],
    [
      "6.x invalid UTF-8",
      [frame(TEXT, Buffer.from([0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce, 0xbc, 0xce, 0xb5, 0xed, 0xa0, 0x80]))],
      1007,
    ],
    [
      "6.x invalid UTF-8 across fragments",
      [frame(TEXT, Buffer.from([0xf4, 0x90]), { fin: false }), frame(CONTINUATION, Buffer.from([0x80, 0x80]))],
      1007,
    ],
    ["7.3.2 close payload of 1 byte", [frame(CLOSE, Buffer.from([3]))], 1002],
    ["7.9 close code 1005 on the wire", [closeFrame(1005)], 1002],
    ["7.9 close code 999", [closeFrame(999)], 1002],
    ["7.9 close code 1016", [closeFrame(1016)], 1002],
    ["7.9 close code 5000", [closeFrame(5000)], 1002],
    ["7.5.1 close reason not UTF-8", [Buffer.concat([frame(CLOSE, Buffer.from([3, 232, 0xff, 0xfe]))])], 1007],
    ["RFC 6455 5.1 unmasked client frame", [frame(TEXT, "x", { mask: false })], 1002],
    ["9.x message over maxMessageSize", [frame(BINARY, Buffer.alloc(64 * 1024 + 1))], 1009],
    [
      "9.x fragments adding up over maxMessageSize",
      [frame(BINARY, Buffer.alloc(40_000), { fin: false }), frame(CONTINUATION, Buffer.alloc(40_000))],
      1009,
    ],
  ];
  for (const [name, frames, code] of violations) {
    test(`${name}: closed with ${code}`, async () => {
      const ws = await Raw.open(port);
      ws.send(...frames);
      assert.equal(await ws.closeCode(), code);
    });
  }

  for (const code of [1000, 1001, 1003, 1007, 1011, 3000, 4999]) {
    test(`7.7 close code ${code} is valid: the server answers the close with the same code`, async () => {
      const ws = await Raw.open(port);
      ws.send(closeFrame(code, "bye"));
      assert.equal(await ws.closeCode(), code);
    });
  }

  test("after all of that the server still serves", async () => {
    const ws = await Raw.open(port);
    ws.send(frame(TEXT, "still here"));
    await ws.until(() => ws.texts().length === 1);
    assert.deepEqual(ws.texts(), ["still here"]);
    ws.socket.destroy();
  });
});
