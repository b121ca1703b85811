import { createRequire } from "node:module";
import { requirePackages } from "../optional/require-package.js";

const require = createRequire(import.meta.url);

/**
 * Globals that Next.js apps use and Node.js 20 lacks (decision 0011): `WebSocket` (global from
 * Node 22, which takes it from undici, as this does) and `URLPattern` (Node 24; Next.js itself
 * uses urlpattern-polyfill). Each is loaded on first use, so a server that never touches them
 * pays nothing at startup.
 */
const PROVIDERS: Record<string, () => unknown> = {
  WebSocket: () => {
    // undici is an optional peer: only a Node 20 app that reads WebSocket needs it.
    requirePackages(["undici"], "The WebSocket global on Node.js 20");
    return (require("undici") as { WebSocket: unknown }).WebSocket;
  },
  URLPattern: () => (require("urlpattern-polyfill/urlpattern") as { URLPattern: unknown }).URLPattern,
};

/**
 * Defines each of those globals that this Node.js does not have, as a property that loads its
 * implementation when first read; a global the runtime has is never replaced. Returns the names
 * it defined (none on Node 24). Called before the app's modules load (loadServerBuild, dev, tandem/testing) and by createRuntime.
 */
export function provideWebGlobals(target: object = globalThis): string[] {
  const provided: string[] = [];
  for (const [name, load] of Object.entries(PROVIDERS)) {
    if (name in target) continue;
    const settle = (value: unknown): void => {
      Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
    };
    Object.defineProperty(target, name, {
      configurable: true,
      enumerable: false,
      get() {
        const value = load();
        settle(value);
        return value;
      },
      // An app (or a library) that assigns its own wins, as with a plain global.
      set: settle,
    });
    provided.push(name);
  }
  return provided;
}
