/**
 * For the lazy stand-ins of Request and Response (server/request.ts, server/fast-response.ts,
 * compat/next-request.ts): every member of the native prototype that the stand-in does not
 * answer itself is forwarded to the real object, built on first use by `real(self)`. undici's own
 * state is never forwarded: where a stand-in is handed back to undici (`new Request(r)`,
 * `fetch(r)`), server/fetch-unwrap.ts hands it the real object instead.
 */
export function delegateToReal<T>(proto: object, nativeProto: object, real: (self: T) => object): void {
  const getters: string[] = [];
  const methods: string[] = [];
  for (const name of Object.getOwnPropertyNames(nativeProto)) {
    if (name === "constructor") continue;
    const descriptor = Object.getOwnPropertyDescriptor(nativeProto, name)!;
    if (typeof descriptor.value === "function") methods.push(name);
    else if (descriptor.get !== undefined) getters.push(name);
  }
  forwardMembers(proto, getters, methods, real);
}

/** The Body members every Request and Response has (Fetch spec). */
export const BODY_GETTERS = ["body", "bodyUsed"];
export const BODY_METHODS = ["arrayBuffer", "blob", "bytes", "clone", "formData", "json", "text"];
/** Request's own attributes (Fetch spec). */
export const REQUEST_GETTERS = [
  "method",
  "url",
  "headers",
  "destination",
  "referrer",
  "referrerPolicy",
  "mode",
  "credentials",
  "cache",
  "redirect",
  "integrity",
  "keepalive",
  "isReloadNavigation",
  "isHistoryNavigation",
  "signal",
  "duplex",
];

/**
 * Forwards the named members that `proto` does not answer itself to the real object;
 * `delegateToReal` adds whatever else the native prototype has.
 */
export function forwardMembers<T>(proto: object, getters: readonly string[], methods: readonly string[], real: (self: T) => object): void {
  const own = new Set<PropertyKey>(Object.getOwnPropertyNames(proto));
  for (const name of getters) {
    if (own.has(name)) continue;
    Object.defineProperty(proto, name, {
      get(this: T) {
        return (real(this) as Record<string, unknown>)[name];
      },
      configurable: true,
    });
  }
  for (const name of methods) {
    if (own.has(name)) continue;
    Object.defineProperty(proto, name, {
      value(this: T, ...args: unknown[]) {
        return (real(this) as Record<string, (...a: unknown[]) => unknown>)[name]!(...args);
      },
      configurable: true,
      writable: true,
    });
  }
}
