import { parseCookie } from "cookie";
import { TandemError } from "../../errors/http-error.js";

/** One `has`/`missing` entry of a Next.js matcher, checked and compiled at startup. */
export interface Condition {
  type: "header" | "cookie" | "query" | "host";
  /** Header names are lower-cased; absent for `host`. */
  key: string | undefined;
  /** Next.js wraps the value as `^value$` (so `a|b` means `^a|b$`, write `(a|b)`). */
  value: RegExp | undefined;
}

/** Reads each request part at most once per check, and only when a condition asks for it. */
export class RequestView {
  readonly request: Request;
  #cookies: Record<string, string | undefined> | undefined;
  #query: URLSearchParams | undefined;

  constructor(request: Request) {
    this.request = request;
  }

  read(condition: Condition): string | undefined {
    const key = condition.key!;
    switch (condition.type) {
      case "header":
        return this.request.headers.get(key) ?? undefined;
      case "cookie":
        this.#cookies ??= parseCookie(this.request.headers.get("cookie") ?? "");
        return this.#cookies[key];
      case "query": {
        this.#query ??= new URL(this.request.url).searchParams;
        // Next.js takes the last value of a repeated query key.
        return this.#query.getAll(key).at(-1);
      }
      case "host": {
        const host = this.request.headers.get("host") ?? new URL(this.request.url).host;
        return host.split(":", 1)[0]!.toLowerCase();
      }
    }
  }

  /** Next.js: an empty value counts as absent; without `value` any non-empty value matches. */
  test(condition: Condition): boolean {
    const value = this.read(condition);
    if (!value) return false;
    return condition.value === undefined || condition.value.test(value);
  }
}

const KEYED = new Set(["header", "cookie", "query"]);

/** Builds the error for a bad entry: middleware matchers and next.config rules report under their own codes. */
export type InvalidError = (message: string, cause?: unknown) => Error;

export function compileConditions(input: unknown, where: string, invalid: InvalidError = invalidMatcher): Condition[] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) throw invalid(`${where} must be an array, got ${showValue(input)}`);
  return input.map((item, i) => compileCondition(item, `${where}[${i}]`, invalid));
}

function compileCondition(item: unknown, where: string, invalid: InvalidError): Condition {
  if (typeof item !== "object" || item === null || Array.isArray(item)) {
    throw invalid(`${where} must be an object like { type: "header", key: "x-id" }, got ${showValue(item)}`);
  }
  const { type, key, value, ...rest } = item as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) throw invalid(`${where} has unknown key(s) ${extra.join(", ")}`);
  if (type === "host") {
    if (key !== undefined) throw invalid(`${where}: a host condition takes no key`);
    if (typeof value !== "string") throw invalid(`${where}: a host condition needs a string value`);
    return { type, key: undefined, value: compileValue(value, where, invalid) };
  }
  if (typeof type !== "string" || !KEYED.has(type)) {
    throw invalid(`${where}.type must be "header", "cookie", "query" or "host", got ${showValue(type)}`);
  }
  if (typeof key !== "string" || key === "") {
    throw invalid(`${where}.key is required when type is ${type}, got ${showValue(key)}`);
  }
  if (value !== undefined && typeof value !== "string") {
    throw invalid(`${where}.value must be a string, got ${showValue(value)}`);
  }
  return {
    type: type as Condition["type"],
    key: type === "header" ? key.toLowerCase() : key,
    value: value === undefined ? undefined : compileValue(value, where, invalid),
  };
}

function compileValue(value: string, where: string, invalid: InvalidError): RegExp {
  try {
    return new RegExp(`^${value}$`);
  } catch (error) {
    throw invalid(`${where}.value ${JSON.stringify(value)} is not a valid regular expression`, error);
  }
}

export function invalid(message: string, cause?: unknown): TandemError {
  return new TandemError("TND_ERR_MATCHER_INVALID", `Invalid middleware matcher: ${message}.`, { cause });
}

const invalidMatcher: InvalidError = invalid;

export function showValue(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "function") return "a function";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
