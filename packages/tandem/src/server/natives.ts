/**
 * The fetch classes Node ships (undici's Request, Response and Headers), read once when Tandem's
 * server code loads. Tandem's lazy stand-ins (NodeRequest, FastResponse, NodeHeaders, NextRequest)
 * put them on their prototype chains at that moment, so `instanceof Request` holds for them.
 * Reading these globals loads undici, about 20 ms of `tandem start` (decision 0008).
 */
export interface Natives {
  Request: typeof Request;
  Response: typeof Response;
  Headers: typeof Headers;
}

/**
 * serve() makes the global Response Tandem's FastResponse, which keeps the class it replaced under
 * this key: a second copy of Tandem that loads after that (an app bundle) still finds undici's.
 */
export const REPLACED_RESPONSE = Symbol.for("tandem.replaced-response");

const globalResponse = globalThis.Response as typeof Response & { [REPLACED_RESPONSE]?: typeof Response };

export const natives: Natives = {
  Request: globalThis.Request,
  Response: globalResponse[REPLACED_RESPONSE] ?? globalResponse,
  Headers: globalThis.Headers,
};

/**
 * The method by which a stand-in (NodeRequest, NextRequest, FastResponse) hands over the undici
 * object behind it, building it if needed. A registered symbol: the stand-in may come from another
 * copy of Tandem than the code asking (dev's module runner loads a second one).
 */
export const TO_NATIVE = Symbol.for("tandem.to-native");

/** The undici object behind a stand-in; anything else as it is. */
export function toNative<T>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  const method = (value as { [TO_NATIVE]?: () => T })[TO_NATIVE];
  return typeof method === "function" ? method.call(value) : value;
}
