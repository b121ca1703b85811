import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { STATUS_CODES } from "node:http";
import { HttpError } from "../errors/http-error.js";

/** Largest refusal body written to a raw upgrade socket; a refusal is a short message. */
const MAX_REFUSAL_BODY = 64 * 1024;
const REFUSAL_BODY_TIMEOUT = 5_000;

/**
 * Cross-site WebSocket hijacking: browsers attach cookies to cross-site upgrades, so a page on
 * another site could act as the user. Browsers always send Origin on WebSocket handshakes; it must
 * be this app's own origin (scheme, host and port, as in `request.url`, which behind a trusted
 * proxy carries the proxy's scheme) or an allowed origin. An http page must not open a socket that
 * carries the https site's cookies, nor the other way round, as Server Actions refuse the same.
 * Non-browser clients send no Origin and are let through: they hold their own credentials anyway.
 */
export function checkOrigin(request: Request, allowed: ReadonlySet<string>): void {
  const origin = request.headers.get("origin");
  if (origin === null) return;
  if (allowed.has(origin)) return;
  if (origin !== "null" && sameOrigin(origin, request.url)) return;
  throw new HttpError("TND_ERR_REALTIME_ORIGIN", `WebSocket upgrade from origin ${JSON.stringify(origin.slice(0, 100))} is not allowed`);
}

function sameOrigin(origin: string, url: string): boolean {
  try {
    // Both parsed, so default ports compare equal (":80" vs none) and ws:/ftp: never match http:.
    return new URL(origin).origin === new URL(url).origin;
  } catch {
    return false;
  }
}

/** Normalizes allowedOrigins entries ("https://a.example/" -> "https://a.example"). */
export function normalizeOrigins(origins: readonly string[] = []): Set<string> {
  return new Set(origins.map((origin) => (origin === "null" ? origin : new URL(origin).origin)));
}

export function parseCookies(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!name || cookies.has(name)) continue;
    try {
      cookies.set(name, decodeURIComponent(value));
    } catch {
      cookies.set(name, value);
    }
  }
  return cookies;
}

/** Writes a refusal (any Web Response) to a socket that was never upgraded, then closes it. */
export async function writeResponse(socket: Duplex, response: Response): Promise<void> {
  if (socket.destroyed) return;
  const body = response.body ? await readCapped(response.body, MAX_REFUSAL_BODY) : Buffer.alloc(0);
  const lines = [`HTTP/1.1 ${response.status} ${response.statusText || STATUS_CODES[response.status] || ""}`];
  response.headers.forEach((value, name) => {
    if (name === "content-length" || name === "connection" || name === "transfer-encoding") return;
    // A header value with CR/LF would split the response; Headers already refuses those, but be sure.
    if (/[\r\n]/.test(value)) return;
    lines.push(`${name}: ${value}`);
  });
  lines.push(`content-length: ${body.length}`, "connection: close", "", "");
  if (socket.destroyed) return;
  socket.end(Buffer.concat([Buffer.from(lines.join("\r\n"), "latin1"), body]));
}

/** Reads at most `limit` bytes, then cancels: a refusal must not stream forever into a raw socket. */
async function readCapped(body: ReadableStream<Uint8Array>, limit: number): Promise<Buffer> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Cancelling ends a pending read with done, so a body that stalls cannot hold the socket open.
  const timer = setTimeout(() => reader.cancel().catch(() => {}), REFUSAL_BODY_TIMEOUT);
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    clearTimeout(timer);
    reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).subarray(0, limit);
}

/**
 * Builds the Web Request for an upgrade when the server feature's fromNodeRequest is not used.
 * Only origin-form targets ("/path?query") are accepted: an absolute-form target must never be
 * followed anywhere (Next.js CVE-2026-44578 turned such upgrades into an open proxy).
 */
export function toUpgradeRequest(req: IncomingMessage, signal?: AbortSignal): Request {
  const target = req.url ?? "";
  if (!target.startsWith("/") || target.startsWith("//")) {
    throw new HttpError("TND_ERR_REALTIME_NOT_WEBSOCKET", "Upgrade request target must be a path (origin-form)");
  }
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const value = req.rawHeaders[i + 1]!;
    try {
      headers.append(name, value);
    } catch {
      throw new HttpError("TND_ERR_REALTIME_NOT_WEBSOCKET", `Invalid header ${JSON.stringify(name.slice(0, 50))}`);
    }
  }
  const secure = Boolean((req.socket as { encrypted?: boolean }).encrypted);
  let url: URL;
  try {
    url = new URL(target, `${secure ? "https" : "http"}://${headers.get("host") ?? "localhost"}`);
  } catch {
    url = new URL(target, "http://localhost");
  }
  return new Request(url, { method: "GET", headers, ...(signal ? { signal } : {}) });
}
