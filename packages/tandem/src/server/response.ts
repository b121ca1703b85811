import type { ServerResponse } from "node:http";

// undici keeps a Response's original body (string, Uint8Array, ...) in an internal state slot.
// Reading it lets a plain string or byte body go out in one res.end() with no ReadableStream.
// If a Node version hides the slot, `stateKey` is undefined and every body takes the stream path.
const stateKey = Object.getOwnPropertySymbols(new Response("")).find((s) => s.description === "state");

type Source = string | Uint8Array;

/** The body as a string or bytes when undici still holds it untouched; undefined means "stream it". */
function sourceOf(response: Response): Source | undefined {
  if (stateKey === undefined || response.bodyUsed) return undefined;
  const source = (response as unknown as Record<symbol, { body?: { source?: unknown } } | undefined>)[stateKey]?.body?.source;
  return typeof source === "string" || source instanceof Uint8Array ? source : undefined;
}

export interface WriteOptions {
  head: boolean;
  /** Send Connection: close (shutdown, or a request body left unread on the wire). */
  close: boolean;
  onStreamError(error: unknown): void;
}

function noBodyStatus(status: number): boolean {
  return status === 204 || status === 304 || (status >= 100 && status < 200);
}

/** Writes a Web Response to a ServerResponse; resolves when it is sent or the client is gone. */
export function writeResponse(res: ServerResponse, response: Response, options: WriteOptions): Promise<void> | void {
  if (res.destroyed || res.headersSent) {
    void response.body?.cancel().catch(() => {});
    return;
  }
  const body = response.body;
  const source = body === null ? null : sourceOf(response);
  const empty = noBodyStatus(response.status);
  // A flat [name, value, ...] list: Headers iteration yields each set-cookie on its own, so several
  // cookies stay several headers.
  const headers: string[] = [];
  for (const [name, value] of response.headers) {
    if (name === "connection" && options.close) continue;
    if (name === "content-length" && (source != null || empty)) continue;
    if (name === "transfer-encoding") continue;
    headers.push(name, value);
  }
  if (options.close) headers.push("connection", "close");
  if (!empty && source != null) {
    headers.push("content-length", String(typeof source === "string" ? Buffer.byteLength(source) : source.byteLength));
  } else if (!empty && body === null && !options.head) {
    headers.push("content-length", "0");
  }
  res.writeHead(response.status, response.statusText || undefined, headers);
  if (body === null || empty || options.head) {
    if (body !== null) void body.cancel().catch(() => {});
    res.end();
    return;
  }
  if (source != null) {
    res.end(source);
    return;
  }
  return pipeBody(res, body, options);
}

/** Streams with backpressure: waits for 'drain' when res.write says the socket buffer is full. */
async function pipeBody(res: ServerResponse, body: ReadableStream<Uint8Array>, options: WriteOptions): Promise<void> {
  const reader = body.getReader();
  let waiting: (() => void) | undefined;
  const onGone = () => {
    waiting?.();
    reader.cancel().catch(() => {});
  };
  res.once("close", onGone);
  // Headers go out now, so a client of a slow stream (SSE) sees them before the first chunk.
  res.flushHeaders();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          waiting = resolve;
          res.once("drain", resolve);
        });
        waiting = undefined;
        if (res.destroyed) break;
      }
    }
    if (!res.destroyed) res.end();
  } catch (error) {
    // Headers are gone already: the only honest signal left is a cut connection.
    if (!res.destroyed) options.onStreamError(error);
    res.destroy();
  } finally {
    res.off("close", onGone);
  }
}
