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
