import type { ImageConfig, LocalPattern, RemotePattern } from "./config.js";

const cache = new Map<string, RegExp>();

/** A Next.js image pattern as a RegExp: `*` is one part (label or segment), `**` any number of them. */
function globOf(glob: string, separator: "." | "/"): RegExp {
  const key = separator + glob;
  let re = cache.get(key);
  if (re === undefined) {
    const one = separator === "." ? "[^.]+" : "[^/]*";
    let source = "";
    for (let i = 0; i < glob.length; i++) {
      const char = glob[i]!;
      if (char === "*" && glob[i + 1] === "*") {
        source += ".*";
        i++;
      } else if (char === "*") source += one;
      else source += char.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    }
    re = new RegExp(`^${source}$`, "i");
    cache.set(key, re);
  }
  return re;
}

export function matchesRemote(pattern: RemotePattern, url: URL): boolean {
  if (pattern.protocol !== undefined && url.protocol !== `${pattern.protocol}:`) return false;
  if (pattern.port !== undefined && pattern.port !== "" && url.port !== pattern.port) return false;
  if (!globOf(pattern.hostname, ".").test(url.hostname)) return false;
  if (pattern.search !== undefined && pattern.search !== url.search) return false;
  return globOf(pattern.pathname ?? "**", "/").test(decodeURI(url.pathname));
}

export function matchesLocal(pattern: LocalPattern, url: URL): boolean {
  if (pattern.search !== undefined && pattern.search !== url.search) return false;
  return globOf(pattern.pathname ?? "**", "/").test(decodeURI(url.pathname));
}

/** Whether the endpoint may fetch this absolute URL: `remotePatterns` or (deprecated) `domains`. */
export function isRemoteAllowed(config: ImageConfig, url: URL): boolean {
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  if (config.domains.includes(url.hostname)) return true;
  return config.remotePatterns.some((pattern) => matchesRemote(pattern, url));
}

/** Whether the endpoint may read this path of the app: any, unless `localPatterns` is set. */
export function isLocalAllowed(config: ImageConfig, url: URL): boolean {
  return config.localPatterns === undefined || config.localPatterns.some((pattern) => matchesLocal(pattern, url));
}
