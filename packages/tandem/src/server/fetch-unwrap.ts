import { toNative } from "./natives.js";

const INSTALLED = Symbol.for("tandem.fetch-unwrap");

/**
 * Makes the global `Request` constructor and `fetch` accept Tandem's lazy stand-ins as their
 * input, by swapping a stand-in for the undici object behind it (decision 0010). Node 24's undici
 * keeps a Request's state in a private field that only an object its own constructor built has, so
 * `new Request(request)` and `fetch(request)` cannot read a stand-in any other way.
 * `Request` stays undici's class behind a Proxy: `instanceof Request`, `Request.prototype` and
 * subclasses are unchanged. Idempotent, also across copies of Tandem. Called where stand-ins are
 * made: serve() and the NextRequest module.
 */
export function installFetchUnwrap(): void {
  const global = globalThis as typeof globalThis & { [INSTALLED]?: true };
  if (global[INSTALLED]) return;
  Object.defineProperty(global, INSTALLED, { value: true });
  global.Request = new Proxy(global.Request, {
    construct(target, args: unknown[], newTarget) {
      if (args.length > 0) args[0] = toNative(args[0]);
      return Reflect.construct(target, args, newTarget);
    },
  });
  const nativeFetch = global.fetch;
  global.fetch = function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    return nativeFetch(toNative(input), init);
  };
}
