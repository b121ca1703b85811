import { HttpError, TandemError } from "../errors/http-error.js";

export type RedirectStatus = 301 | 302 | 303 | 307 | 308;

/** next/navigation's RedirectType. It only matters to client navigation; the status stays 307. */
export const RedirectType = { push: "push", replace: "replace" } as const;
export type RedirectType = (typeof RedirectType)[keyof typeof RedirectType];

const STATUSES = new Set<number>([301, 302, 303, 307, 308]);
// Next.js's digests, so code written for Next.js that inspects `error.digest` keeps working
// and React passes them through server rendering unchanged.
const REDIRECT_DIGEST = "NEXT_REDIRECT";
const NOT_FOUND_DIGEST = "NEXT_HTTP_ERROR_FALLBACK;404";
const FALLBACK_DIGEST = "NEXT_HTTP_ERROR_FALLBACK;";

/**
 * Thrown by redirect()/permanentRedirect(). An HttpError, so any code path that turns HttpErrors
 * into responses answers with the redirect even if it does not know about navigation errors.
 */
export class RedirectError extends HttpError {
  readonly url: string;
  readonly digest: string;

  constructor(url: string, status: RedirectStatus, type: RedirectType) {
    super("TND_ERR_REDIRECT", `Redirect to ${url}`, { status, headers: { location: toHeaderValue(url) } });
    this.url = url;
    this.digest = `${REDIRECT_DIGEST};${type};${url};${status};`;
  }

  override toResponse(): Response {
    return new Response(null, { status: this.status, headers: this.headers });
  }
}

export class NotFoundError extends HttpError {
  readonly digest = NOT_FOUND_DIGEST;
  constructor() {
    super("TND_ERR_NOT_FOUND", "This page could not be found.");
  }
}

/** forbidden() and unauthorized(): Next.js's access errors, answered with their status. */
export class AccessError extends HttpError {
  readonly digest: string;
  constructor(status: 401 | 403) {
    super(
      status === 403 ? "TND_ERR_FORBIDDEN" : "TND_ERR_UNAUTHORIZED",
      status === 403 ? "This page could not be accessed." : "You're not authorized to access this page.",
    );
    this.digest = `${FALLBACK_DIGEST}${status}`;
  }
}

/** Header values are bytes: characters outside printable ASCII are percent-encoded as UTF-8. */
export function toHeaderValue(url: string): string {
  return url.replace(/[^\x21-\x7e]/gu, (c) => (c.length === 1 && c >= "\ud800" && c <= "\udfff" ? "%EF%BF%BD" : encodeURIComponent(c)));
}

export function checkUrl(url: unknown): string {
  const text = url instanceof URL ? url.href : url;
  if (typeof text !== "string" || text.trim() === "") {
    throw new TandemError("TND_ERR_REDIRECT_INVALID", `redirect() needs a non-empty URL or path, got ${String(url)}`);
  }
  try {
    new URL(text, "http://localhost");
  } catch (cause) {
    throw new TandemError("TND_ERR_REDIRECT_INVALID", `redirect() got an unparsable URL ${JSON.stringify(text)}`, { cause });
  }
  return text;
}

/**
 * Ends the request with a redirect by throwing (like next/navigation), so it works at any depth
 * of middleware, route handlers, pages and server actions. `url` may be relative to the request.
 * The second argument is a status (default 307) or, as in Next.js, a RedirectType.
 */
export function redirect(url: string | URL, status: RedirectStatus | RedirectType = 307): never {
  const code = typeof status === "string" ? 307 : status;
  if (!STATUSES.has(code)) {
    throw new TandemError("TND_ERR_REDIRECT_INVALID", `redirect() status must be 301, 302, 303, 307 or 308, got ${String(status)}`);
  }
  const type = typeof status === "string" ? status : RedirectType.replace;
  if (type !== "push" && type !== "replace") {
    throw new TandemError("TND_ERR_REDIRECT_INVALID", `redirect() type must be "push" or "replace", got ${String(status)}`);
  }
  throw new RedirectError(checkUrl(url), code, type);
}

/** redirect() with 308: browsers and caches may remember it. */
export function permanentRedirect(url: string | URL, type: RedirectType = RedirectType.replace): never {
  if (type !== "push" && type !== "replace") {
    throw new TandemError("TND_ERR_REDIRECT_INVALID", `permanentRedirect() type must be "push" or "replace", got ${String(type)}`);
  }
  throw new RedirectError(checkUrl(url), 308, type);
}

/** Ends the request with the app's 404 response. */
export function notFound(): never {
  throw new NotFoundError();
}

/** Ends the request with 403 Forbidden (next/navigation's forbidden()). */
export function forbidden(): never {
  throw new AccessError(403);
}

/** Ends the request with 401 Unauthorized (next/navigation's unauthorized()). */
export function unauthorized(): never {
  throw new AccessError(401);
}

interface ParsedRedirect {
  url: string;
  status: RedirectStatus;
}

/** Reads Next.js's digest format, so errors from another copy of this module are recognized too. */
function parseRedirect(error: unknown): ParsedRedirect | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const digest = (error as { digest?: unknown }).digest;
  if (typeof digest !== "string" || !digest.startsWith(REDIRECT_DIGEST + ";")) return undefined;
  const parts = digest.split(";");
  const type = parts[1];
  const status = Number(parts.at(-2));
  const url = parts.slice(2, -2).join(";");
  if ((type !== "push" && type !== "replace") || !STATUSES.has(status) || url === "") return undefined;
  return { url, status: status as RedirectStatus };
}

export function isRedirectError(error: unknown): error is RedirectError {
  return parseRedirect(error) !== undefined;
}

export function isNotFoundError(error: unknown): error is NotFoundError {
  if (typeof error !== "object" || error === null) return false;
  return (error as { digest?: unknown }).digest === NOT_FOUND_DIGEST;
}

/** The status of a notFound()/forbidden()/unauthorized() error from any copy of this module. */
export function accessErrorStatus(error: unknown): 401 | 403 | 404 | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const digest = (error as { digest?: unknown }).digest;
  if (typeof digest !== "string" || !digest.startsWith(FALLBACK_DIGEST)) return undefined;
  const status = Number(digest.slice(FALLBACK_DIGEST.length));
  return status === 401 || status === 403 || status === 404 ? status : undefined;
}

/**
 * The response for a thrown redirect. A relative URL is resolved against the request URL.
 * `status` overrides the error's (callers pick 303 after a POST so the browser follows with GET).
 */
export function toRedirectResponse(error: RedirectError, requestUrl: string | URL, status?: RedirectStatus): Response {
  const parsed = parseRedirect(error);
  if (parsed === undefined) throw new TypeError("toRedirectResponse() needs an error thrown by redirect()");
  const location = new URL(parsed.url, requestUrl).href;
  return new Response(null, { status: status ?? parsed.status, headers: { location } });
}
