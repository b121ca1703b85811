import { DYNAMIC_CACHE_CONTROL } from "../app/cache-control.js";

/** The HTML answer when a page fails before its first byte and no error.tsx caught it. */
export function documentError(error: unknown, dev: boolean): Response {
  const detail =
    dev && error instanceof Error ? `<pre>${escapeHtml(error.stack ?? error.message)}</pre>` : "<p>The server log has the details.</p>";
  const html =
    `<!doctype html><html><head><meta charset="utf-8"><meta name="robots" content="noindex">` +
    `<title>500: Internal Server Error</title></head><body><h1>500</h1><p>This page could not be rendered ` +
    `[TND_ERR_PAGES_RENDER_FAILED].</p>${detail}</body></html>`;
  return new Response(html, {
    status: 500,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": DYNAMIC_CACHE_CONTROL },
  });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
