import type { ReactElement } from "react";
import { toImageSettings, type ImageResponseOptions } from "./options.js";
import { renderPng } from "./render.js";

/**
 * next/og's ImageResponse: a Response whose body is the PNG of a JSX element, drawn by satori and
 * resvg as in Next.js. The options are checked here, so a mistake throws in the handler; drawing
 * starts at once and the body carries it. Cached for a year in production (the URL names the
 * image), never in development, as Next.js does; `headers` override both.
 */
export class ImageResponse extends Response {
  constructor(element: ReactElement, options: ImageResponseOptions = {}) {
    const settings = toImageSettings(element, options);
    const png = renderPng(settings);
    // Handled here too: a body nobody reads must not leave an unhandled rejection behind.
    png.catch(() => {});
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        controller.enqueue(await png);
        controller.close();
      },
    });
    const headers = new Headers({
      "content-type": "image/png",
      "cache-control": process.env.NODE_ENV === "development" ? "no-cache, no-store" : "public, immutable, no-transform, max-age=31536000",
    });
    for (const [name, value] of new Headers(options.headers)) headers.set(name, value);
    super(body, {
      status: options.status ?? 200,
      ...(options.statusText !== undefined ? { statusText: options.statusText } : {}),
      headers,
    });
  }
}
