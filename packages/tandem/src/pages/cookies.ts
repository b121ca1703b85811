import { COOKIE_DEFAULTS } from "../app/cookie-defaults.js";
import { parseCookie, stringifySetCookie, type SerializeOptions } from "cookie";
import { HttpError } from "../errors/http-error.js";

export interface Cookie {
  name: string;
  value: string;
}

export type CookieOptions = Omit<SerializeOptions, "encode">;

/** Next.js `cookies()` shape: reads the request's cookies, records writes for the response. */
export class RequestCookies {
  #values: Map<string, string>;
  #writes = new Map<string, string>();
  /** False while a Server Component renders: set/delete then throw. */
  writable = true;

  constructor(headers: Headers) {
    const parsed = parseCookie(headers.get("cookie") ?? "");
    this.#values = new Map();
    for (const [name, value] of Object.entries(parsed)) if (value !== undefined) this.#values.set(name, value);
  }

  get size(): number {
    return this.#values.size;
  }

  get(name: string | Cookie): Cookie | undefined {
    const key = typeof name === "string" ? name : name.name;
    const value = this.#values.get(key);
    return value === undefined ? undefined : { name: key, value };
  }

  getAll(name?: string | Cookie): Cookie[] {
    const all = [...this.#values].map(([key, value]) => ({ name: key, value }));
    if (name === undefined) return all;
    const key = typeof name === "string" ? name : name.name;
    return all.filter((cookie) => cookie.name === key);
  }

  has(name: string): boolean {
    return this.#values.has(name);
  }

  /** Defaults (COOKIE_DEFAULTS, shared with NextResponse): path "/", HttpOnly, SameSite=Lax. */
  set(name: string | (Cookie & CookieOptions), value?: string, options: CookieOptions = {}): this {
    this.#checkWritable("set");
    const spec = typeof name === "string" ? { ...options, name, value: value ?? "" } : name;
    const header = stringifySetCookie({ ...COOKIE_DEFAULTS, ...spec });
    this.#values.set(spec.name, spec.value);
    this.#writes.set(spec.name, header);
    return this;
  }

  delete(name: string | { name: string; path?: string; domain?: string }): this {
    this.#checkWritable("delete");
    const spec = typeof name === "string" ? { name } : name;
    const header = stringifySetCookie({ path: "/", ...spec, value: "", expires: new Date(0), maxAge: 0 });
    this.#values.delete(spec.name);
    this.#writes.set(spec.name, header);
    return this;
  }

  toString(): string {
    return [...this.#values].map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join("; ");
  }

  /** One Set-Cookie value per cookie written (the last write of a name wins). */
  setCookieHeaders(): string[] {
    return [...this.#writes.values()];
  }

  #checkWritable(method: string): void {
    if (!this.writable) {
      throw new HttpError(
        "TND_ERR_PAGES_COOKIES_READONLY",
        `cookies().${method}() can only be called in a Server Action or a route handler, not while rendering.`,
      );
    }
  }
}
