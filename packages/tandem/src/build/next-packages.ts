import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { sourceMentions } from "./source-mentions.js";

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function readManifest(file: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Manifest;
  } catch {
    return undefined;
  }
}

/** node_modules/<name>/package.json as Node would find it from `root`, walking up. */
function findManifest(root: string, name: string): Manifest | undefined {
  for (let dir = root; ; dir = dirname(dir)) {
    const manifest = readManifest(join(dir, "node_modules", name, "package.json"));
    if (manifest !== undefined) return manifest;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The app's direct dependencies that depend on `next` themselves (next-auth, a UI kit importing
 * next/link): their `next/*` imports must reach Tandem's modules, so they go through Vite.
 * Only direct dependencies are read: one file each, at startup.
 */
export function packagesImportingNext(root: string): string[] {
  const app = readManifest(join(root, "package.json"));
  if (app === undefined) return [];
  const names = Object.keys({ ...app.dependencies, ...app.devDependencies, ...app.optionalDependencies });
  return names.filter((name) => {
    if (name === "next" || name === "tandem" || name.startsWith("@types/")) return false;
    const manifest = findManifest(root, name);
    if (manifest === undefined) return false;
    return [manifest.dependencies, manifest.peerDependencies, manifest.optionalDependencies].some((deps) => deps?.next !== undefined);
  });
}

/**
 * Whether next/headers' cookies()/headers() may be called: the app's sources import next/headers,
 * or a dependency uses next. Only then does an app without pages pay for the request context
 * (an AsyncLocalStorage per request, which on Node 20 slows every promise in the process).
 * Read when the server entry is generated; in dev, an import added later takes a restart.
 */
export async function usesNextHeaders(root: string): Promise<boolean> {
  return packagesImportingNext(root).length > 0 || (await sourceMentions(root, ["next/headers"]));
}
