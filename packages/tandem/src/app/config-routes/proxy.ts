import { HttpError } from "../../errors/http-error.js";

/** How long an external rewrite may take to answer (its headers); the body then streams as it comes. */
export const PROXY_TIMEOUT_MS = 30_000;

// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection, and `host` names this server.
const REQUEST_SKIP = new Set(["host", "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"]);
// fetch() hands back the decoded body: its original encoding and length no longer describe it.
const RESPONSE_SKIP = new Set(["connection", "keep-alive", "transfer-encoding", "content-encoding", "content-length"]);

/**
 * A next.config rewrite to another origin, as Next.js does it: the request is sent on there and
 * its answer streamed back. Redirects of the other origin are passed to the client, not followed.
 */
export async function proxyTo(url: string, request: Request): Promise<Response> {
  const headers = new Headers();
  for (const [name, value] of request.headers) if (!REQUEST_SKIP.has(name)) headers.append(name, value);
  const forwarded = new URL(request.url);
  headers.set("x-forwarded-host", request.headers.get("host") ?? forwarded.host);
  headers.set("x-forwarded-proto", forwarded.protocol.slice(0, -1));
  // The timeout is for the answer's headers: a long download may stream for longer. A client
  // that goes away ends the upstream request too.
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new DOMException("timed out", "TimeoutError")), PROXY_TIMEOUT_MS);
  const init: RequestInit & { duplex?: "half" } = {
    method: request.method,
    headers,
    redirect: "manual",
    signal: AbortSignal.any([timeout.signal, request.signal]),
  };
  if (request.method !== "GET" && request.method !== "HEAD") {
    init.body = request.body;
    init.duplex = "half";
  }
  let response: Response;
  try {
    response = await fetch(url, init);
    clearTimeout(timer);
  } catch (error) {
    clearTimeout(timer);
    const timedOut = timeout.signal.aborted;
    const origin = new URL(url).origin;
    throw new HttpError(
      "TND_ERR_REWRITE_PROXY",
      timedOut ? `The rewrite to ${origin} got no answer within ${PROXY_TIMEOUT_MS / 1000} s.` : `The rewrite to ${origin} failed.`,
      timedOut ? { cause: error, status: 504 } : { cause: error },
    );
  }
  const out = new Headers();
  for (const [name, value] of response.headers) if (!RESPONSE_SKIP.has(name) && name !== "set-cookie") out.append(name, value);
  for (const cookie of response.headers.getSetCookie()) out.append("set-cookie", cookie);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers: out });
}
