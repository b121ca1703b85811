import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { rawHeader } from "./node-headers.js";

/** How long a closing connection keeps draining what the client still sends. */
const LINGER_MS = 2_000;
/** How much it drains at most before it gives up and closes anyway. */
const LINGER_BYTES = 16 * 1024 * 1024;
const CHECK_MS = 50;

/** Whether some of the request's body has not been read off the wire yet. */
export function bodyOnWire(req: IncomingMessage): boolean {
  if (req.complete) return false;
  const declared = rawHeader(req.rawHeaders, "content-length");
  return declared === undefined ? rawHeader(req.rawHeaders, "transfer-encoding") !== undefined : declared !== "0";
}

/**
 * Lingering close (RFC 9112 9.6), for a response that closes the connection while the client is
 * still sending its body (an early 413, a 503 during shutdown). node:http ends and then destroys
 * the socket as soon as the response is written; unread bytes in the receive buffer then make the
 * kernel answer with a reset, and a client that reads only after it has sent everything (curl,
 * blocking clients) loses the response to it (EPIPE, ECONNRESET). Here the socket sends its FIN
 * after the response and keeps reading, throwing the body away, until the client closes its side,
 * LINGER_MS pass or LINGER_BYTES arrive; only then is it destroyed.
 *
 * node:http closes through `socket.destroySoon()`, so that one socket's method is replaced: the
 * response itself is written by node:http as usual.
 */
export function lingerOnClose(req: IncomingMessage): void {
  const socket = req.socket as Socket & { destroySoon?: () => void };
  if (socket === null || socket.destroyed || typeof socket.destroySoon !== "function") return;
  socket.destroySoon = () => linger(socket, req);
}

function linger(socket: Socket, req: IncomingMessage): void {
  if (socket.writable) socket.end();
  // A body reader that stopped at the limit paused the request, and with it the socket: nothing
  // would be read. Whatever is left goes nowhere now.
  if (!req.readableFlowing && !req.destroyed) {
    req.removeAllListeners("data");
    req.resume();
  }
  const start = socket.bytesRead;
  const close = () => socket.destroy();
  const closeWhenSent = (): void => {
    if (socket.writableFinished) close();
    else socket.once("finish", close);
  };
  if (socket.readableEnded) return closeWhenSent();
  const deadline = setTimeout(close, LINGER_MS).unref();
  const check = setInterval(() => {
    if (socket.bytesRead - start > LINGER_BYTES) close();
  }, CHECK_MS).unref();
  // The client closed its side: it has read the response, or never will.
  socket.once("end", closeWhenSent);
  socket.once("close", () => {
    clearTimeout(deadline);
    clearInterval(check);
  });
}
