import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { HttpError } from "../errors/http-error.js";
import { PROBLEM_TYPE, problemBody } from "../errors/problem.js";

/**
 * Answers on a bare socket (parser errors, refused upgrades) where no ServerResponse exists, then
 * closes it. The body is the same JSON shape as HttpError.toResponse().
 */
export function writeRawError(socket: Duplex, error: HttpError, problem = false): void {
  if (socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // Problem details without `instance` or `requestId`: no request was read.
  const body = JSON.stringify(problem ? problemBody(error, undefined, undefined) : error.toJSON());
  const head =
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ""}\r\n` +
    `content-type: ${problem ? PROBLEM_TYPE : "application/json; charset=utf-8"}\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\n` +
    "connection: close\r\n\r\n";
  // Destroy once flushed: the server socket allows half-open connections, so end() alone would
  // leave it waiting for the client.
  socket.end(head + body, () => socket.destroy());
  // A client that never reads must not keep the socket forever.
  const timer = setTimeout(() => socket.destroy(), 1000).unref();
  socket.once("close", () => clearTimeout(timer));
}

/** The response for a parser or timeout error reported through 'clientError'. */
export function clientErrorFor(error: NodeJS.ErrnoException): HttpError {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      return new HttpError("TND_ERR_SERVER_HEADERS_TOO_LARGE", "request headers are too large");
    case "ERR_HTTP_REQUEST_TIMEOUT":
    case "HPE_HEADERS_TIMEOUT":
      return new HttpError("TND_ERR_SERVER_TIMEOUT", "the request took too long to arrive");
    default:
      // llhttp's reason ("Invalid header value char", "Duplicate Content-Length") is safe to show.
      return new HttpError("TND_ERR_SERVER_BAD_REQUEST", `bad request: ${(error as { reason?: string }).reason ?? error.message}`);
  }
}
