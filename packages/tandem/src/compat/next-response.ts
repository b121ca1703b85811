import { TandemError } from "../errors/http-error.js";
import { markNext, markRewrite, type MiddlewareResponseInit } from "../app/middleware/helpers.js";
import { checkUrl, toHeaderValue } from "../app/navigation.js";
import { ResponseCookies } from "./cookies.js";
import { NextURL } from "./next-url.js";
import { FastResponse, jsonText } from "../server/fast-response.js";

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

// Built on Tandem's FastResponse rather than undici's Response: every NextResponse would carry a
// ReadableStream body instead of going to the socket in one write. Its prototype chain still
// reaches Response.prototype.
const ResponseBase = FastResponse as unknown as typeof Response;

/**
 * next/server's NextResponse: a standard Response with `cookies` (writing Set-Cookie) and the
 * middleware statics. next()/rewrite() mark the response through signals.ts, never headers.
 * `Body` only types `NextResponse.json()` results, as in Next.js.
 */
export class NextResponse<_Body = unknown> extends ResponseBase {
  #cookies: ResponseCookies | undefined;

  constructor(body?: BodyInit | null, init?: ResponseInit) {
    super(body, init);
  }

  get cookies(): ResponseCookies {
    return (this.#cookies ??= new ResponseCookies(this.headers));
  }

  static override json<JsonBody>(body: JsonBody, init?: ResponseInit): NextResponse<JsonBody> {
    return FastResponse.jsonBody(new NextResponse<JsonBody>(jsonText(body), init));
  }

  /** Status 307 unless given; `url` must be absolute, e.g. `new URL("/login", request.url)`. */
  static override redirect(url: string | NextURL | URL, init?: number | ResponseInit): NextResponse {
    const status = typeof init === "number" ? init : (init?.status ?? 307);
    if (!REDIRECT_STATUSES.has(status)) {
      throw new TandemError("TND_ERR_REDIRECT_INVALID", `NextResponse.redirect() status must be 301, 302, 303, 307 or 308, got ${status}`);
    }
    // Relative like redirect(): a path is sent as it is and the client resolves it against the
    // request URL (RFC 9110 10.2.2), so middleware needs no new URL(path, request.url).
    const href = checkUrl(url instanceof URL ? NextURL.onRequestHost(url) : String(url));
    const options = typeof init === "object" ? init : {};
    const headers = new Headers(options.headers);
    headers.set("location", URL.canParse(href) ? new URL(href).href : toHeaderValue(href));
    return new NextResponse(null, { ...options, headers, status });
  }

  /** Serves another path of this app; `destination` must be same-origin (or a path starting with "/"). */
  static rewrite(destination: string | NextURL | URL, init?: MiddlewareResponseInit): NextResponse {
    const target = destination instanceof URL ? NextURL.onRequestHost(destination) : destination;
    return markRewrite(new NextResponse(null, withoutRequest(init)), target, init);
  }

  /** Continues to the route, optionally replacing the request headers it sees and adding response headers. */
  static next(init?: MiddlewareResponseInit): NextResponse {
    return markNext(new NextResponse(null, withoutRequest(init)), init);
  }
}

function withoutRequest(init: MiddlewareResponseInit | undefined): ResponseInit | undefined {
  if (init === undefined) return undefined;
  const { request: _request, ...rest } = init;
  return rest;
}
