import { createFromReadableStream, getClientEntryUrl } from "@vitejs/plugin-rsc/ssr";
import { use, type ReactNode } from "react";
import type { ReactFormState } from "react-dom/client";
// The Node build (not .edge): it schedules its work with setImmediate, where the edge build
// waits on setTimeout(0), which Node clamps to 1 ms per step.
import { renderToReadableStream } from "react-dom/server.node";
import type { RscPayload } from "../types.js";
import { injectRscPayload } from "./inject-payload.js";
import { logRequestError } from "../request-context.js";
import { runningRequestId } from "../request-id.js";

export interface HtmlOptions {
  formState?: ReactFormState;
  nonce?: string;
  /** Leave out the browser entry and the inlined RSC payload (static HTML only). */
  noScripts?: boolean;
}

export type HtmlResult = { ok: true; stream: ReadableStream<Uint8Array> } | { ok: false; error: unknown };

/**
 * ssr environment: RSC stream -> HTML stream. Resolves when the shell (everything outside
 * Suspense boundaries) is ready, so the caller still chooses the status code.
 */
export async function renderHtml(rscStream: ReadableStream<Uint8Array>, options: HtmlOptions = {}): Promise<HtmlResult> {
  const [forHtml, forBrowser] = rscStream.tee();
  let payload: Promise<RscPayload> | undefined;
  function SsrRoot(): ReactNode {
    // Started inside React's render so that preloads of client chunks land in <head>.
    payload ??= createFromReadableStream<RscPayload>(forHtml);
    return use(payload).root;
  }
  try {
    const html = await renderToReadableStream(<SsrRoot />, {
      bootstrapScriptContent: options.noScripts ? undefined : `import(${JSON.stringify(getClientEntryUrl())})`,
      ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
      ...(options.formState === undefined ? {} : { formState: options.formState }),
      onError: reportSsrError,
    });
    if (options.noScripts) {
      void forBrowser.cancel();
      return { ok: true, stream: html };
    }
    return { ok: true, stream: injectRscPayload(html, forBrowser, options.nonce) };
  } catch (error) {
    void forBrowser.cancel();
    return { ok: false, error };
  }
}

function reportSsrError(error: unknown): string | undefined {
  const digest = (error as { digest?: unknown } | null)?.digest;
  // Errors from Server Components were already logged in the rsc environment; they carry a digest.
  if (typeof digest === "string") return digest;
  logRequestError("server rendering failed:", error, runningRequestId());
  return undefined;
}
