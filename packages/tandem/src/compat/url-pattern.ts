import { createRequire } from "node:module";
import type { URLPattern as PolyfillURLPattern } from "urlpattern-polyfill/urlpattern";

const require = createRequire(import.meta.url);

/**
 * next/server's URLPattern: the global where Node.js has it (24 and later), else
 * urlpattern-polyfill's class, which Tandem also installs as the global on Node 20 and 22
 * (decision 0011). Read from globalThis first, so that the export and the global are one class.
 */
export const URLPattern: typeof PolyfillURLPattern =
  (globalThis as { URLPattern?: typeof PolyfillURLPattern }).URLPattern ??
  (require("urlpattern-polyfill/urlpattern") as { URLPattern: typeof PolyfillURLPattern }).URLPattern;
