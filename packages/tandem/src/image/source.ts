import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { HttpError } from "../errors/http-error.js";
import { readLimited } from "../app/read-limited.js";
import type { ImageConfig } from "./config.js";
import { isLocalAllowed, isRemoteAllowed } from "./patterns.js";

/** An upstream image: its bytes and the max-age its Cache-Control gave (0 without one). */
export interface Upstream {
  bytes: Uint8Array;
  maxAge: number;
  contentType: string | null;
}

export interface SourceOptions {
  config: ImageConfig;
  /** Answers a path of the app itself (public/, built assets, a route), as a browser request would. */
  fetchLocal(path: string): Promise<Response>;
  /** Milliseconds for a remote image to arrive in full. */
  timeout: number;
}

const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  PRIVATE.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["::ffff:0:0", 96],
] as const)
  PRIVATE.addSubnet(net, prefix, "ipv6");

function isPrivate(address: string): boolean {
  return PRIVATE.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}

function maxAgeOf(header: string | null): number {
  if (header === null) return 0;
  const match = /(?:^|,)\s*(?:s-maxage|max-age)\s*=\s*"?(\d+)/i.exec(header);
  return match === null ? 0 : Number.parseInt(match[1]!, 10);
}

/** Reads a body up to `limit` bytes; past it, stops reading and answers 413. */
async function readBody(response: Response, limit: number, what: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  const tooLarge = () => new HttpError("TND_ERR_IMAGE_TOO_LARGE", `${what} is larger than images.maximumResponseBody (${limit} bytes)`);
  if (declared > limit) {
    await response.body?.cancel();
    throw tooLarge();
  }
  const bytes = await readLimited(response.body, limit);
  if (bytes === undefined) throw tooLarge();
  return bytes;
}

async function checkAddress(url: URL, config: ImageConfig): Promise<void> {
  if (config.dangerouslyAllowLocalIP) return;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true }).catch(() => [])).map((entry) => entry.address);
  if (addresses.length === 0) throw new HttpError("TND_ERR_IMAGE_UPSTREAM", `"${url.hostname}" could not be resolved`);
  if (addresses.some(isPrivate)) {
    throw new HttpError(
      "TND_ERR_IMAGE_NOT_ALLOWED",
      `"${url.hostname}" is a private or loopback address; set images.dangerouslyAllowLocalIP to optimize images from it`,
    );
  }
}

async function fetchRemote(start: URL, options: SourceOptions): Promise<Upstream> {
  const { config } = options;
  const signal = AbortSignal.timeout(options.timeout);
  let url = start;
  for (let redirects = 0; ; redirects++) {
    if (!isRemoteAllowed(config, url)) {
      throw new HttpError(
        "TND_ERR_IMAGE_NOT_ALLOWED",
        redirects === 0
          ? `"url" ${url.href} is not allowed by images.remotePatterns (or images.domains) in next.config`
          : `${start.href} redirects to ${url.href}, which images.remotePatterns does not allow`,
      );
    }
    await checkAddress(url, config);
    let response: Response;
    try {
      response = await fetch(url, { redirect: "manual", signal, headers: { accept: "image/*" } });
    } catch (error) {
      const timedOut = signal.aborted;
      throw new HttpError(
        "TND_ERR_IMAGE_UPSTREAM",
        timedOut ? `${url.href} did not answer within ${options.timeout} ms` : `${url.href} could not be fetched`,
        { status: timedOut ? 504 : 502, cause: error },
      );
    }
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      if (redirects >= config.maximumRedirects)
        throw new HttpError(
          "TND_ERR_IMAGE_UPSTREAM",
          `${start.href} redirects more than images.maximumRedirects (${config.maximumRedirects}) times`,
          { status: 508 },
        );
      url = new URL(location, url);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new HttpError("TND_ERR_IMAGE_UPSTREAM", `${url.href} answered ${response.status}`, {
        status: response.status === 404 ? 404 : 502,
      });
    }
    const bytes = await readBody(response, config.maximumResponseBody, url.href);
    return { bytes, maxAge: maxAgeOf(response.headers.get("cache-control")), contentType: response.headers.get("content-type") };
  }
}

async function fetchLocal(url: URL, options: SourceOptions): Promise<Upstream> {
  const path = url.pathname + url.search;
  if (!isLocalAllowed(options.config, url))
    throw new HttpError("TND_ERR_IMAGE_NOT_ALLOWED", `"url" ${path} is not allowed by images.localPatterns in next.config`);
  const response = await options.fetchLocal(path);
  if (!response.ok) {
    await response.body?.cancel();
    throw new HttpError("TND_ERR_IMAGE_UPSTREAM", `${path} answered ${response.status}`, { status: response.status === 404 ? 404 : 502 });
  }
  const bytes = await readBody(response, options.config.maximumResponseBody, path);
  return { bytes, maxAge: maxAgeOf(response.headers.get("cache-control")), contentType: response.headers.get("content-type") };
}

/**
 * The `url` parameter checked: a path of the app ("/hero.png") or an absolute http(s) URL. The
 * endpoint's own path is refused (an image of an image would recurse).
 */
export function parseImageUrl(value: string | null, ownPath: string): { local: boolean; url: URL } {
  if (value === null || value === "") throw new HttpError("TND_ERR_IMAGE_URL", '"url" parameter is required');
  if (value.length > 3072) throw new HttpError("TND_ERR_IMAGE_URL", '"url" parameter is longer than 3072 characters');
  if (value.startsWith("/")) {
    if (value.startsWith("//")) throw new HttpError("TND_ERR_IMAGE_URL", '"url" parameter cannot be protocol-relative (//host/...)');
    const url = new URL(value, "http://n");
    if (url.pathname.startsWith(ownPath)) throw new HttpError("TND_ERR_IMAGE_URL", `"url" parameter cannot point at ${ownPath} itself`);
    return { local: true, url };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new HttpError("TND_ERR_IMAGE_URL", '"url" parameter must be a path starting with "/" or an absolute http(s) URL');
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new HttpError("TND_ERR_IMAGE_URL", '"url" parameter must use http or https');
  return { local: false, url };
}

export function fetchUpstream(target: { local: boolean; url: URL }, options: SourceOptions): Promise<Upstream> {
  return target.local ? fetchLocal(target.url, options) : fetchRemote(target.url, options);
}
