/**
 * For the lazy stand-ins of Request and Response (server/request.ts, server/fast-response.ts,
 * compat/next-request.ts): every member of the native prototype that the stand-in does not
 * answer itself is forwarded to the real object, built on first use by `real(self)`. Symbol slots
 * of `sample` are forwarded too, because undici reads them when the object is handed back to it
 * (`new Request(r)`, `new Response(r.body)`).
 */
export function delegateToReal<T>(proto: object, nativeProto: object, sample: object, real: (self: T) => object): void {
  const own = new Set<PropertyKey>(Object.getOwnPropertyNames(proto));
  for (const name of Object.getOwnPropertyNames(nativeProto)) {
    if (own.has(name) || name === "constructor") continue;
    const descriptor = Object.getOwnPropertyDescriptor(nativeProto, name)!;
    if (typeof descriptor.value === "function") {
      Object.defineProperty(proto, name, {
        value(this: T, ...args: unknown[]) {
          return (real(this) as Record<string, (...a: unknown[]) => unknown>)[name]!(...args);
        },
        configurable: true,
        writable: true,
      });
    } else if (descriptor.get !== undefined) {
      Object.defineProperty(proto, name, {
        get(this: T) {
          return (real(this) as Record<string, unknown>)[name];
        },
        configurable: true,
      });
    }
  }
  for (const symbol of Object.getOwnPropertySymbols(sample)) {
    Object.defineProperty(proto, symbol, {
      get(this: T) {
        return (real(this) as Record<symbol, unknown>)[symbol];
      },
      configurable: true,
    });
  }
}
