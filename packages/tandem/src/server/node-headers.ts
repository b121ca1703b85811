/**
 * The Headers of a node:http request. `get()` and `has()` (what most code calls: an auth check, a
 * cookie, a content type) scan node's `rawHeaders`; anything else fills a real undici Headers
 * from them once and hands the call to it. llhttp has already refused names and values that a
 * Headers object would refuse, so the raw pairs need no second check.
 * A stand-in rather than a subclass: undici's constructor (a header list, a Map, an uncloneable
 * mark) cost more than the lookups it serves, and a stand-in builds no undici object until
 * something wants the whole list. Its prototype chain reaches Headers.prototype (natives.ts), so
 * `instanceof Headers` holds.
 */
import { delegateToReal } from "./delegate.js";
import { natives } from "./natives.js";

const inspect = Symbol.for("nodejs.util.inspect.custom");

/**
 * The first value of header `lower` (a lower-case name) in node's `rawHeaders`, as `req.headers`
 * would give it with joinDuplicateHeaders off. Reading the raw list spares node building the
 * whole `req.headers` object on requests where nothing else asks for it.
 */
export function rawHeader(raw: string[], lower: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) if (sameHeaderName(raw[i]!, lower)) return raw[i + 1];
  return undefined;
}

// The lower-case forms of the last two mixed-case names compared: clients send the same names in
// the same case on every request ("Content-Length", "Content-Type"), and comparing a name with the
// remembered one costs less than lower-casing it again (a new string each time).
let fieldA = "";
let lowerA = "";
let fieldB = "";
let lowerB = "";

/** Whether header name `field` (any case) is `lower` (lower case). */
export function sameHeaderName(field: string, lower: string): boolean {
  if (field.length !== lower.length) return false;
  if (field === lower) return true;
  if (field === fieldA) return lowerA === lower;
  if (field === fieldB) return lowerB === lower;
  // toLowerCase on a short ASCII name beats comparing it character by character in JavaScript.
  fieldB = fieldA;
  lowerB = lowerA;
  fieldA = field;
  lowerA = field.toLowerCase();
  return lowerA === lower;
}

// The last two names asked for and their lower-case forms: code asks for the same few names again
// and again, and a body reader asks for two in turn (content-type, content-length).
let lastName = "";
let lastLower = "";
let prevName = "";
let prevLower = "";

function lowerName(name: string): string {
  if (name === lastName) return lastLower;
  if (name === prevName) return prevLower;
  const lower = String(name).toLowerCase();
  prevName = lastName;
  prevLower = lastLower;
  lastName = name;
  lastLower = lower;
  return lower;
}

// A real, empty Headers: a name missing from the raw pairs is answered by it, so an invalid name
// throws exactly as on a real Headers.
let empty: Headers | undefined;
const emptyHeaders = (): Headers => (empty ??= new natives.Headers());

/**
 * Headers the server adds to or changes in the raw list (X-Forwarded-*): `names` (lower case) are
 * the ones it touches, `build` gives the whole list with them. Built only when one of `names` is
 * asked for or the whole list is needed, so `get("authorization")` still reads the raw list as is.
 */
export interface RawAmendment {
  names: ReadonlySet<string>;
  build(): string[];
}

class NodeHeaders {
  /** The raw [name, value, ...] list until the real list is filled; then undefined. */
  #raw: string[] | undefined;
  #real: Headers | undefined;
  #amend: RawAmendment | undefined;

  constructor(raw: string[], amend: RawAmendment | undefined) {
    this.#raw = raw;
    this.#amend = amend;
  }

  /** The raw list with the amendment applied, for a name it touches (or every name: `lower` undefined). */
  #amended(lower: string | undefined): string[] {
    const amend = this.#amend;
    if (amend !== undefined && (lower === undefined || amend.names.has(lower))) {
      this.#amend = undefined;
      this.#raw = amend.build();
    }
    return this.#raw!;
  }

  /** The real Headers, filled from the raw pairs on first need. */
  #full(): Headers {
    if (this.#real === undefined) {
      const headers = new natives.Headers();
      const raw = this.#amended(undefined);
      for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
      this.#real = headers;
      this.#raw = undefined;
    }
    return this.#real;
  }

  get(name: string): string | null {
    if (this.#raw === undefined) return this.#real!.get(name);
    const lower = lowerName(name);
    const raw = this.#amend === undefined ? this.#raw : this.#amended(lower);
    let value: string | null = null;
    for (let i = 0; i < raw.length; i += 2) {
      if (sameHeaderName(raw[i]!, lower)) value = value === null ? raw[i + 1]! : `${value}, ${raw[i + 1]}`;
    }
    return value ?? emptyHeaders().get(name);
  }

  has(name: string): boolean {
    if (this.#raw === undefined) return this.#real!.has(name);
    const lower = lowerName(name);
    const raw = this.#amend === undefined ? this.#raw : this.#amended(lower);
    for (let i = 0; i < raw.length; i += 2) if (sameHeaderName(raw[i]!, lower)) return true;
    return emptyHeaders().has(name);
  }

  append(name: string, value: string): void {
    this.#full().append(name, value);
  }

  set(name: string, value: string): void {
    this.#full().set(name, value);
  }

  delete(name: string): void {
    this.#full().delete(name);
  }

  getSetCookie(): string[] {
    return this.#full().getSetCookie();
  }

  forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    // The callback's third argument is this object, as on a real Headers.
    this.#full().forEach((value, key) => callback.call(thisArg, value, key, this as unknown as Headers));
  }

  keys(): HeadersIterator<string> {
    return this.#full().keys();
  }

  values(): HeadersIterator<string> {
    return this.#full().values();
  }

  entries(): HeadersIterator<[string, string]> {
    return this.#full().entries();
  }

  [Symbol.iterator](): HeadersIterator<[string, string]> {
    return this.#full().entries();
  }

  [inspect](_depth: number, options: object, show: (value: unknown, options: object) => string): string {
    return show(this.#full(), options);
  }

  static {
    // Whatever else Headers has (now or in a later Node) goes to the real one.
    delegateToReal<NodeHeaders>(NodeHeaders.prototype, natives.Headers.prototype, (self) => self.#full());
    Object.setPrototypeOf(NodeHeaders.prototype, natives.Headers.prototype);
  }
}

export function createNodeHeaders(raw: string[], amend?: RawAmendment): Headers {
  return new NodeHeaders(raw, amend) as unknown as Headers;
}
