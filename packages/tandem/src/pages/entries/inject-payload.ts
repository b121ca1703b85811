// The RSC payload inlined into the HTML document, in the format rsc-html-stream/client reads in
// the browser: `<script>(self.__FLIGHT_DATA||=[]).push(chunk)</script>`, before `</body></html>`.
//
// Why not rsc-html-stream/server: it decodes and re-encodes every HTML chunk to find the
// trailer and batches with setTimeout(0), which Node clamps to 1 ms, so every document waited a
// timer tick with the CPU idle. Here HTML stays bytes and a batch ends at setImmediate.

const encoder = new TextEncoder();
const TRAILER = encoder.encode("</body></html>");

export function injectRscPayload(
  html: ReadableStream<Uint8Array>,
  rsc: ReadableStream<Uint8Array>,
  nonce?: string,
): ReadableStream<Uint8Array> {
  const htmlReader = html.getReader();
  const rscReader = rsc.getReader();
  const open = nonce === undefined ? "<script>" : `<script nonce="${nonce.replace(/"/g, "&quot;")}">`;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  // HTML chunks React wrote in one go: scripts may only go between such batches, never inside one.
  let batch: Uint8Array[] = [];
  let scheduled: ReturnType<typeof setImmediate> | undefined;
  let strippedTrailer = false;
  let payload: Promise<void> | undefined;
  let payloadError: { error: unknown } | undefined;

  // Output is coalesced per macrotask: a page without pending Suspense boundaries leaves as
  // one chunk (HTML, payload scripts, trailer), one read for the server and one socket write.
  let out: Uint8Array[] = [];
  let emitting: ReturnType<typeof setImmediate> | undefined;

  const push = (bytes: Uint8Array): void => {
    if (closed || bytes.byteLength === 0) return;
    out.push(bytes);
    emitting ??= setImmediate(emit);
  };

  function emit(): void {
    if (emitting !== undefined) clearImmediate(emitting);
    emitting = undefined;
    if (closed || out.length === 0) return;
    controller.enqueue(out.length === 1 ? out[0]! : Buffer.concat(out));
    out = [];
  }

  function flushBatch(): void {
    scheduled = undefined;
    if (batch.length === 0) return;
    let bytes = batch.length === 1 ? batch[0]! : Buffer.concat(batch);
    batch = [];
    if (endsWith(bytes, TRAILER)) {
      bytes = bytes.subarray(0, bytes.byteLength - TRAILER.byteLength);
      strippedTrailer = true;
    }
    push(bytes);
    // The payload starts after the first HTML, so no script lands before <!DOCTYPE html>.
    payload ??= writePayload().catch((error: unknown) => {
      payloadError = { error };
    });
  }

  async function writePayload(): Promise<void> {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    for (;;) {
      const { done, value } = await rscReader.read();
      if (done) break;
      let chunk: string;
      try {
        chunk = JSON.stringify(decoder.decode(value, { stream: true }));
      } catch {
        // Not UTF-8 (binary rows): the client accepts bytes too.
        chunk = `Uint8Array.from(atob(${JSON.stringify(Buffer.from(value).toString("base64"))}), m => m.codePointAt(0))`;
      }
      pushScript(chunk);
    }
    const rest = decoder.decode();
    if (rest.length > 0) pushScript(JSON.stringify(rest));
  }

  function pushScript(chunk: string): void {
    const script = `(self.__FLIGHT_DATA||=[]).push(${chunk})`.replace(/<!--/g, "<\\!--").replace(/<\/(script)/gi, "</\\$1");
    push(encoder.encode(`${open}${script}</script>`));
  }

  async function pump(): Promise<void> {
    try {
      for (;;) {
        const { done, value } = await htmlReader.read();
        if (done) break;
        batch.push(value);
        scheduled ??= setImmediate(flushBatch);
      }
      if (scheduled !== undefined) clearImmediate(scheduled);
      flushBatch();
      await (payload ?? writePayload());
      if (payloadError !== undefined) throw payloadError.error;
      if (strippedTrailer) push(TRAILER);
      emit();
      if (!closed) controller.close();
    } catch (error) {
      if (!closed) controller.error(error);
      void rscReader.cancel(error).catch(() => {});
    } finally {
      closed = true;
    }
  }

  return new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      void pump();
    },
    cancel(reason) {
      closed = true;
      if (scheduled !== undefined) clearImmediate(scheduled);
      if (emitting !== undefined) clearImmediate(emitting);
      void htmlReader.cancel(reason).catch(() => {});
      void rscReader.cancel(reason).catch(() => {});
    },
  });
}

function endsWith(bytes: Uint8Array, tail: Uint8Array): boolean {
  const offset = bytes.byteLength - tail.byteLength;
  if (offset < 0) return false;
  for (let i = 0; i < tail.byteLength; i++) if (bytes[offset + i] !== tail[i]) return false;
  return true;
}
