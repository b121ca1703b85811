import { HttpError } from "../errors/http-error.js";
import { errorFieldsOf, markErrorResponse } from "../errors/error-fields.js";
import { problemResponse } from "../errors/problem.js";
import { requestId as idOf } from "./request-id.js";
import { DYNAMIC_CACHE_CONTROL } from "./cache-control.js";

export interface ErrorReporting {
  dev: boolean;
  logger: Pick<Console, "error">;
}

/** A client that asks for JSON and not for HTML: it gets Tandem's JSON errors. */
export function wantsJson(request: Request): boolean {
  const accept = request.headers.get("accept");
  return accept?.includes("json") === true && !accept.includes("text/html");
}

/** Browsers navigating ask for text/html; API clients (fetch's default is "*\/*") get JSON. */
function wantsHtml(request: Request): boolean {
  return request.headers.get("accept")?.includes("text/html") ?? false;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function htmlPage(status: number, title: string, detail = ""): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${status} ${escapeHtml(title)}</title>` +
    `<style>body{font:16px system-ui,sans-serif;margin:15vh auto;max-width:40rem;padding:0 1rem;color:#222}` +
    `h1{font-size:1.4rem}pre{white-space:pre-wrap;background:#f5f5f5;padding:1rem;overflow:auto}</style></head>` +
    `<body><h1>${status} · ${escapeHtml(title)}</h1>${detail}</body></html>`
  );
}

/** Next.js's default 404 page, in its words, for an app without pages (one with pages renders its own). */
const NOT_FOUND_PAGE =
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">` +
  `<title>404: This page could not be found.</title>` +
  `<style>body{font:16px system-ui,sans-serif;margin:15vh auto;max-width:40rem;padding:0 1rem;color:#222}` +
  `h1{font-size:1.4rem}h2{font-size:1rem;font-weight:400}</style></head>` +
  `<body><h1>404</h1><h2>This page could not be found.</h2></body></html>`;

/**
 * The response a client sees for an HttpError: JSON, or a small HTML page for a browser. A 5xx
 * one is the server's fault: logged with the request's id (and its `cause`, which the client never
 * sees), as an unexpected error is.
 */
export function httpErrorResponse(error: HttpError, request: Request, reporting?: ErrorReporting): Response {
  if (reporting !== undefined && error.status >= 500) logFailure(error, request, reporting, error.cause);
  if (!wantsHtml(request) || error.details !== undefined) return error.toResponse();
  const headers = new Headers(error.headers);
  headers.set("content-type", "text/html; charset=utf-8");
  return new Response(htmlPage(error.status, error.message), { status: error.status, headers });
}

/** Unknown paths answer like a website: HTML unless the client asks for JSON. */
export function notFoundResponse(request: Request): Response {
  return toNotFound(request, undefined);
}

/**
 * The answer for a path no route serves: Next.js's 404 page carries the same Cache-Control as its
 * dynamic pages (a path missing now may exist after the next deploy), while its notFound() from a
 * route handler carries none, so only this one does.
 */
export function unknownPathResponse(request: Request): Response {
  return toNotFound(request, { "cache-control": DYNAMIC_CACHE_CONTROL });
}

function toNotFound(request: Request, headers: Record<string, string> | undefined): Response {
  const error = new HttpError("TND_ERR_NOT_FOUND", "This page could not be found.", headers === undefined ? {} : { headers });
  if (wantsJson(request)) return error.toResponse();
  return new Response(NOT_FOUND_PAGE, { status: 404, headers: { "content-type": "text/html; charset=utf-8", ...headers } });
}

function logFailure(error: unknown, request: Request, reporting: ErrorReporting, cause?: unknown): string {
  const requestId = idOf(request);
  const { pathname } = new URL(request.url);
  const fields = cause === undefined ? { reqId: requestId } : { reqId: requestId, cause };
  reporting.logger.error(`[tandem] ${requestId} ${request.method} ${pathname} failed:`, error, fields);
  return requestId;
}

/**
 * An unexpected error: logged in full with a request id, and shown to the client in full only in
 * development. In production the body names the id and nothing else, so nothing leaks.
 */
export function internalErrorResponse(error: unknown, request: Request, reporting: ErrorReporting): Response {
  // The request's own id (a trusted proxy's, or the access log's), made on the first failure at
  // the latest: node:crypto loads then, not at startup.
  const requestId = logFailure(error, request, reporting);
  const message = reporting.dev && error instanceof Error ? error.message : "Internal Server Error";
  const stack = reporting.dev && error instanceof Error ? (error.stack ?? "") : "";
  const headers = { "x-request-id": requestId };
  if (wantsJson(request)) {
    const body = { error: { code: "TND_ERR_INTERNAL", message, requestId, ...(stack ? { stack } : {}) } };
    const fields = { status: 500, code: "TND_ERR_INTERNAL", message, details: stack ? { stack } : undefined };
    return markErrorResponse(Response.json(body, { status: 500, headers }), fields);
  }
  const detail = `<p>Request id: <code>${requestId}</code></p>` + (stack ? `<pre>${escapeHtml(stack)}</pre>` : "");
  return new Response(htmlPage(500, message, detail), {
    status: 500,
    headers: { ...headers, "content-type": "text/html; charset=utf-8" },
  });
}

/**
 * An error response Tandem built (marked with what it says), rewritten as RFC 9457 problem
 * details for an app with `errors.format: "problem+json"`; any other response as it is.
 */
export function asProblem(response: Response, request: Request): Response {
  const fields = errorFieldsOf(response);
  if (fields === undefined) return response;
  const instance = new URL(request.url).pathname;
  return problemResponse(fields, { instance, requestId: idOf(request), headers: response.headers });
}
