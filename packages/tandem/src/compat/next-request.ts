import { RequestCookies } from "./cookies.js";
import { NextURL } from "./next-url.js";

// Requests handed to toNextRequest(): their body moves into the NextRequest instead of being cloned.
const adopted = new WeakSet<Request>();

/**
 * next/server's NextRequest: a standard Request with `nextUrl` and `cookies`, both built on first
 * use. Built from another Request it leaves that request's body readable (the body is cloned),
 * so middleware may read the body and the route handler can still read the original.
 */
export class NextRequest extends Request {
  #nextUrl: NextURL | undefined;
  #cookies: RequestCookies | undefined;

  constructor(input: URL | RequestInfo, init?: RequestInit) {
    if (input instanceof Request) {
      const keep = !adopted.has(input) && input.body !== null && init?.body === undefined;
      super(keep ? input.clone() : input, init);
    } else {
      super(input, init);
    }
  }

  get nextUrl(): NextURL {
    return (this.#nextUrl ??= new NextURL(this.url));
  }

  get cookies(): RequestCookies {
    return (this.#cookies ??= new RequestCookies(this.headers));
  }

  /** Removed in Next.js 15; always undefined here. Read a trusted proxy header instead. */
  get ip(): string | undefined {
    return undefined;
  }

  /** Removed in Next.js 15; always undefined here. */
  get geo(): undefined {
    return undefined;
  }
}

/**
 * The request as a NextRequest for code that takes over the request from here on (a route
 * handler): no body clone, so the original request must not be read afterwards.
 */
export function toNextRequest(request: Request): NextRequest {
  if (request instanceof NextRequest) return request;
  adopted.add(request);
  return new NextRequest(request);
}
