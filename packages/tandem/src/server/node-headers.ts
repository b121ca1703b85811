/**
 * The Headers of a node:http request, filled from `rawHeaders` only when something needs the
 * whole list. `get()` and `has()` (what most code calls: an auth check, a cookie, a content
 * type) scan the raw pairs instead: building an undici Headers validates and copies every field,
 * which costs more than the rest of a small request's routing. llhttp has already refused names
 * and values that a Headers object would refuse, so the raw pairs need no second check.
 */
import { loadNatives } from "./natives.js";

const inspect = Symbol.for("nodejs.util.inspect.custom");

/**
 * The first value of header `lower` (a lower-case name) in node's `rawHeaders`, as `req.headers`
 * would give it with joinDuplicateHeaders off. Reading the raw list spares node building the
 * whole `req.headers` object on requests where nothing else asks for it.
 */
export function rawHeader(raw: string[], lower: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) if (sameName(raw[i]!, lower)) return raw[i + 1];
  return undefined;
}

/** Whether header name `field` (any case) is `lower` (lower case). */
function sameName(field: string, lower: string): boolean {
  // toLowerCase on a short ASCII name beats comparing it character by character in JavaScript.
  return field.length === lower.length && (field === lower || field.toLowerCase() === lower);
}

// The last name asked for and its lower-case form: code asks for the same few names again and again.
let lastName = "";
let lastLower = "";

function lowerName(name: string): string {
  if (name === lastName) return lastLower;
  const lower = String(name).toLowerCase();
  lastName = name;
  lastLower = lower;
  return lower;
}

/** The class is made on first use: extending Headers loads undici (see natives.ts). */
let NodeHeadersClass: (new (raw: string[]) => Headers) | undefined;

export function createNodeHeaders(raw: string[]): Headers {
  NodeHeadersClass ??= defineNodeHeaders(loadNatives().Headers);
  return new NodeHeadersClass(raw);
}

function defineNodeHeaders(Headers: typeof globalThis.Headers): new (raw: string[]) => Headers {
  const sortedMap = Object.getOwnPropertySymbols(Headers.prototype).find((s) => s.description === "headers map sorted");

  return class NodeHeaders extends Headers {
    /** The raw [name, value, ...] list until the real list is filled; then undefined. */
    #raw: string[] | undefined;

    constructor(raw: string[]) {
      super();
      this.#raw = raw;
    }

    #fill(): void {
      const raw = this.#raw;
      if (raw === undefined) return;
      this.#raw = undefined;
      for (let i = 0; i < raw.length; i += 2) super.append(raw[i]!, raw[i + 1]!);
    }

    override get(name: string): string | null {
      const raw = this.#raw;
      if (raw === undefined) return super.get(name);
      const lower = lowerName(name);
      let value: string | null = null;
      for (let i = 0; i < raw.length; i += 2) {
        if (sameName(raw[i]!, lower)) value = value === null ? raw[i + 1]! : `${value}, ${raw[i + 1]}`;
      }
      // Not found: the real (still empty) list answers null, or throws for an invalid name as it should.
      return value ?? super.get(name);
    }

    override has(name: string): boolean {
      const raw = this.#raw;
      if (raw === undefined) return super.has(name);
      const lower = lowerName(name);
      for (let i = 0; i < raw.length; i += 2) if (sameName(raw[i]!, lower)) return true;
      return super.has(name);
    }

    override append(name: string, value: string): void {
      this.#fill();
      super.append(name, value);
    }

    override set(name: string, value: string): void {
      this.#fill();
      super.set(name, value);
    }

    override delete(name: string): void {
      this.#fill();
      super.delete(name);
    }

    override getSetCookie(): string[] {
      this.#fill();
      return super.getSetCookie();
    }

    override forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
      this.#fill();
      super.forEach(callback, thisArg);
    }

    override keys(): HeadersIterator<string> {
      this.#fill();
      return super.keys();
    }

    override values(): HeadersIterator<string> {
      this.#fill();
      return super.values();
    }

    override entries(): HeadersIterator<[string, string]> {
      this.#fill();
      return super.entries();
    }

    override [Symbol.iterator](): HeadersIterator<[string, string]> {
      this.#fill();
      return super.entries();
    }

    static {
      // undici reads its sorted list through this getter (iteration, inspection); fill before it does.
      for (const symbol of [sortedMap, inspect]) {
        if (symbol === undefined) continue;
        const descriptor = Object.getOwnPropertyDescriptor(Headers.prototype, symbol);
        if (descriptor?.get !== undefined) {
          const get = descriptor.get;
          Object.defineProperty(NodeHeaders.prototype, symbol, {
            get(this: NodeHeaders) {
              this.#fill();
              return get.call(this);
            },
            configurable: true,
          });
        } else if (typeof descriptor?.value === "function") {
          const fn = descriptor.value as (...args: unknown[]) => unknown;
          Object.defineProperty(NodeHeaders.prototype, symbol, {
            value(this: NodeHeaders, ...args: unknown[]) {
              this.#fill();
              return fn.apply(this, args);
            },
            configurable: true,
            writable: true,
          });
        }
      }
    }
  };
}
