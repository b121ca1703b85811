import { COOKIE_DEFAULTS } from "../app/cookie-defaults.js";
import { parseCookie, parseSetCookie, stringifyCookie, stringifySetCookie, type SetCookie } from "cookie";

/** next/server's RequestCookie. */
export interface RequestCookie {
  name: string;
  value: string;
}

/** next/server's ResponseCookie: a Set-Cookie entry. `expires` may be a Date or epoch milliseconds. */
export interface ResponseCookie extends RequestCookie {
  expires?: Date | number;
  maxAge?: number;
  domain?: string;
  path?: string;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: "strict" | "lax" | "none" | boolean;
  priority?: "low" | "medium" | "high";
  partitioned?: boolean;
}

function nameOf(arg: string | { name: string }): string {
  return typeof arg === "string" ? arg : arg.name;
}

/**
 * `request.cookies`: the Cookie header as a map. set()/delete() rewrite the header object it was
 * made from, so passing those headers to `NextResponse.next({ request: { headers } })` forwards
 * the change to the route handler, as in Next.js.
 */
export class RequestCookies {
  readonly #headers: Headers;
  readonly #cookies = new Map<string, RequestCookie>();

  constructor(requestHeaders: Headers) {
    this.#headers = requestHeaders;
    const header = requestHeaders.get("cookie");
    if (header === null) return;
    for (const [name, value] of Object.entries(parseCookie(header))) {
      if (value !== undefined) this.#cookies.set(name, { name, value });
    }
  }

  get size(): number {
    return this.#cookies.size;
  }

  get(name: string | RequestCookie): RequestCookie | undefined {
    return this.#cookies.get(nameOf(name));
  }

  getAll(name?: string | RequestCookie): RequestCookie[] {
    const all = [...this.#cookies.values()];
    return name === undefined ? all : all.filter((c) => c.name === nameOf(name));
  }

  has(name: string): boolean {
    return this.#cookies.has(name);
  }

  set(nameOrCookie: string | RequestCookie, value?: string): this {
    const cookie = typeof nameOrCookie === "string" ? { name: nameOrCookie, value: value ?? "" } : nameOrCookie;
    this.#cookies.set(cookie.name, { name: cookie.name, value: cookie.value });
    this.#write();
    return this;
  }

  /** Returns whether each named cookie existed (an array when given an array, like Next.js). */
  delete(names: string | string[]): boolean | boolean[] {
    const result = Array.isArray(names) ? names.map((n) => this.#cookies.delete(n)) : this.#cookies.delete(names);
    this.#write();
    return result;
  }

  clear(): this {
    this.#cookies.clear();
    this.#write();
    return this;
  }

  [Symbol.iterator](): IterableIterator<[string, RequestCookie]> {
    return this.#cookies.entries();
  }

  toString(): string {
    return stringifyCookie(Object.fromEntries([...this.#cookies.values()].map((c) => [c.name, c.value])));
  }

  #write(): void {
    if (this.#cookies.size === 0) this.#headers.delete("cookie");
    else this.#headers.set("cookie", this.toString());
  }
}

/** `response.cookies`: reads and writes the response's Set-Cookie headers. */
export class ResponseCookies {
  readonly #headers: Headers;
  readonly #cookies = new Map<string, ResponseCookie>();

  constructor(responseHeaders: Headers) {
    this.#headers = responseHeaders;
    for (const line of responseHeaders.getSetCookie()) {
      const parsed = parseSetCookie(line);
      if (parsed.name !== "") this.#cookies.set(parsed.name, { ...parsed, value: parsed.value ?? "" });
    }
  }

  get(name: string | RequestCookie): ResponseCookie | undefined {
    return this.#cookies.get(nameOf(name));
  }

  getAll(name?: string | RequestCookie): ResponseCookie[] {
    const all = [...this.#cookies.values()];
    return name === undefined ? all : all.filter((c) => c.name === nameOf(name));
  }

  has(name: string): boolean {
    return this.#cookies.has(name);
  }

  /**
   * Starts from the same defaults as `cookies().set` (path "/", HttpOnly, SameSite=Lax; Next.js
   * sets only the path), and `maxAge` also sets `expires` for old clients.
   */
  set(nameOrCookie: string | ResponseCookie, value?: string, options?: Partial<ResponseCookie>): this {
    const input = typeof nameOrCookie === "string" ? { ...options, name: nameOrCookie, value: value ?? "" } : nameOrCookie;
    const cookie: ResponseCookie = { ...COOKIE_DEFAULTS, ...input, path: input.path ?? "/" };
    if (typeof cookie.expires === "number") cookie.expires = new Date(cookie.expires);
    if (cookie.maxAge !== undefined && cookie.expires === undefined) cookie.expires = new Date(Date.now() + cookie.maxAge * 1000);
    // Serialize first: an invalid name or attribute throws before anything changes.
    serialize(cookie);
    this.#cookies.set(cookie.name, cookie);
    this.#write();
    return this;
  }

  /** Expires the cookie in the browser (empty value, Expires in 1970); pass path/domain if it was set with them. */
  delete(nameOrOptions: string | Omit<ResponseCookie, "value" | "expires">): this {
    const options = typeof nameOrOptions === "string" ? { name: nameOrOptions } : nameOrOptions;
    return this.set({ ...options, value: "", expires: new Date(0) });
  }

  [Symbol.iterator](): IterableIterator<[string, ResponseCookie]> {
    return this.#cookies.entries();
  }

  toString(): string {
    return [...this.#cookies.values()].map(serialize).join("; ");
  }

  #write(): void {
    this.#headers.delete("set-cookie");
    for (const cookie of this.#cookies.values()) this.#headers.append("set-cookie", serialize(cookie));
  }
}

function serialize(cookie: ResponseCookie): string {
  const { expires, ...rest } = cookie;
  const out: SetCookie = { ...rest };
  if (expires !== undefined) out.expires = typeof expires === "number" ? new Date(expires) : expires;
  return stringifySetCookie(out);
}
