// A package-lock.json for a scaffolded app, cut from the repository's own lock file, so that
// `npm install --offline` installs it from the local npm cache with no network at all. Without a
// lock file npm resolves every range against the registry's full package documents, which a cache
// filled by lock-file installs does not hold (it keeps the abbreviated ones). The tandem entry
// points at the packed tarball; everything else is what the repository itself installed.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

type Packages = Record<string, LockEntry>;

/** Where node would find `name` from the package at `from` ("" is the root), in `packages`. */
function locate(packages: Packages, from: string, name: string): string | undefined {
  for (let at = from; ; ) {
    const candidate = `${at === "" ? "" : `${at}/`}node_modules/${name}`;
    if (packages[candidate] !== undefined) return candidate;
    if (at === "") return undefined;
    const cut = at.lastIndexOf("/node_modules/");
    at = cut < 0 ? "" : at.slice(0, cut);
  }
}

function edges(entry: LockEntry): string[] {
  const optionalPeers = entry.peerDependenciesMeta ?? {};
  const peers = Object.keys(entry.peerDependencies ?? {}).filter((name) => optionalPeers[name]?.optional !== true);
  return [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.optionalDependencies ?? {}), ...peers];
}

/**
 * Writes `<app>/package-lock.json`: the app's dependencies and everything they need, at the
 * versions of `<repo>/package-lock.json`, with `tandem` from `tarball`.
 */
export function writeOfflineLock(repo: string, app: string, tarball: string): void {
  const lock = JSON.parse(readFileSync(join(repo, "package-lock.json"), "utf8")) as { packages: Packages };
  const pkg = JSON.parse(readFileSync(join(app, "package.json"), "utf8")) as LockEntry & { name: string };
  // The workspace package's own nested node_modules sit under packages/tandem/ in the repo.
  const source: Packages = {};
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path.startsWith("node_modules/") && !entry.link) source[path] = entry;
    else if (path.startsWith("packages/tandem/node_modules/")) source[path.replace(/^packages\/tandem\//, "node_modules/tandem/")] = entry;
  }
  const own = lock.packages["packages/tandem"]!;
  source["node_modules/tandem"] = {
    version: own.version,
    resolved: `file:${tarball}`,
    integrity: `sha512-${createHash("sha512").update(readFileSync(tarball)).digest("base64")}`,
    ...Object.fromEntries(
      ["license", "bin", "engines", "dependencies", "optionalDependencies", "peerDependencies", "peerDependenciesMeta"]
        .filter((key) => own[key] !== undefined)
        .map((key) => [key, own[key]]),
    ),
  };

  const root = { name: pkg.name, version: pkg.version, dependencies: pkg.dependencies, devDependencies: pkg.devDependencies };
  const out: Packages = { "": root };
  const queue: Array<[string, string]> = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})].map((name) => [
    "",
    name,
  ]);
  while (queue.length > 0) {
    const [from, name] = queue.shift()!;
    const path = locate(source, from, name);
    if (path === undefined) {
      // An optional dependency for another platform is not in the repository's lock either.
      const parent = from === "" ? root : source[from]!;
      if ((parent as LockEntry).optionalDependencies?.[name] !== undefined) continue;
      throw new Error(`${name} (needed by ${from || "the app"}) is not in the repository's package-lock.json`);
    }
    if (out[path] !== undefined) continue;
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = source[path]!;
    out[path] = entry;
    for (const next of edges(entry)) queue.push([path, next]);
  }
  writeFileSync(
    join(app, "package-lock.json"),
    `${JSON.stringify({ name: pkg.name, version: pkg.version, lockfileVersion: 3, requires: true, packages: out }, null, 2)}\n`,
  );
}
