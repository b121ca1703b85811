/**
 * next.config `images`, checked and completed with Next.js 16's defaults. The component reads the
 * part it needs to write srcset (`toClientImageConfig`), the optimizing endpoint reads it all.
 */

export type ImageFormat = "image/avif" | "image/webp";

export interface RemotePattern {
  protocol?: "http" | "https";
  /** Literal, or `*` for one label, `**` for any number of labels ("**.example.com"). */
  hostname: string;
  /** "" or unset: any port. */
  port?: string;
  /** Literal, or `*` for one path segment, `**` for any number ("/photos/**"). */
  pathname?: string;
  /** "?v=1": exactly this query string; unset: any. */
  search?: string;
}

export interface LocalPattern {
  pathname?: string;
  search?: string;
}

export interface ImageConfig {
  deviceSizes: number[];
  imageSizes: number[];
  qualities: number[];
  formats: ImageFormat[];
  /** Seconds an optimized image is fresh at least (the upstream's max-age wins when longer). */
  minimumCacheTTL: number;
  dangerouslyAllowSVG: boolean;
  /** Next.js 16: an optimized remote image may not come from a private or loopback address unless this is on. */
  dangerouslyAllowLocalIP: boolean;
  contentSecurityPolicy: string;
  contentDispositionType: "inline" | "attachment";
  remotePatterns: RemotePattern[];
  /** Unset: every local path is allowed. */
  localPatterns: LocalPattern[] | undefined;
  domains: string[];
  unoptimized: boolean;
  maximumRedirects: number;
  /** Bytes an upstream image may have. */
  maximumResponseBody: number;
}

/** What next/image needs in the browser: the sizes for srcset and the switches that bypass the endpoint. */
export interface ClientImageConfig {
  deviceSizes: number[];
  imageSizes: number[];
  qualities: number[];
  unoptimized: boolean;
  dangerouslyAllowSVG: boolean;
}

/** The endpoint's path below basePath; next/image's default loader points at it. */
export const IMAGE_PATH = "/_tandem/image";

export const IMAGE_DEFAULTS: Readonly<ImageConfig> = Object.freeze({
  deviceSizes: [640, 750, 828, 1080, 1200, 1920, 2048, 3840],
  // Next.js 16 dropped 16 from the defaults.
  imageSizes: [32, 48, 64, 96, 128, 256, 384],
  qualities: [75],
  formats: ["image/webp"],
  // Next.js 16: four hours (was 60 s).
  minimumCacheTTL: 14_400,
  dangerouslyAllowSVG: false,
  dangerouslyAllowLocalIP: false,
  contentSecurityPolicy: "script-src 'none'; frame-src 'none'; sandbox;",
  contentDispositionType: "attachment",
  remotePatterns: [],
  localPatterns: undefined,
  domains: [],
  unoptimized: false,
  maximumRedirects: 3,
  maximumResponseBody: 50_000_000,
} satisfies ImageConfig);

/** Keys Next.js has that Tandem does not act on, with why. */
const NOT_READ: Record<string, string> = {
  loader: "only the default loader exists; pass a `loader` prop to <Image> for another service",
  loaderFile: "not read; pass a `loader` prop to <Image> instead",
  path: `not read: the endpoint is always ${IMAGE_PATH} (below basePath)`,
};

type Fail = (message: string) => Error;

function sizesOf(value: unknown, key: string, fail: Fail, max: number): number[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > 25) throw fail(`"images.${key}" must be an array of 1 to 25 integers`);
  for (const size of value) {
    if (!Number.isInteger(size) || size < 1 || size > max)
      throw fail(`"images.${key}" holds ${JSON.stringify(size)}; each must be an integer from 1 to ${max}`);
  }
  return [...new Set(value as number[])].sort((a, b) => a - b);
}

function booleanOf(value: unknown, key: string, fail: Fail): boolean {
  if (typeof value !== "boolean") throw fail(`"images.${key}" must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

function remotePatternOf(value: unknown, i: number, fail: Fail): RemotePattern {
  // `new URL("https://cdn.example.com/photos/**")` in next.config arrives here as its href.
  if (typeof value === "string") {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw fail(`"images.remotePatterns[${i}]" is not a URL: ${value}`);
    }
    return toRemote(
      {
        protocol: url.protocol.slice(0, -1),
        hostname: url.hostname,
        port: url.port,
        pathname: decodeURI(url.pathname),
        search: url.search || undefined,
      },
      i,
      fail,
    );
  }
  if (value === null || typeof value !== "object") throw fail(`"images.remotePatterns[${i}]" must be an object or a URL`);
  return toRemote(value as Record<string, unknown>, i, fail);
}

function toRemote(raw: Record<string, unknown>, i: number, fail: Fail): RemotePattern {
  const { protocol, hostname, port, pathname, search } = raw;
  if (typeof hostname !== "string" || hostname === "") throw fail(`"images.remotePatterns[${i}].hostname" must be a non-empty string`);
  if (protocol !== undefined && protocol !== "http" && protocol !== "https")
    throw fail(`"images.remotePatterns[${i}].protocol" must be "http" or "https", got ${JSON.stringify(protocol)}`);
  const pattern: RemotePattern = { hostname };
  if (protocol !== undefined) pattern.protocol = protocol;
  for (const [key, field] of [
    ["port", port],
    ["pathname", pathname],
    ["search", search],
  ] as const) {
    if (field === undefined) continue;
    if (typeof field !== "string") throw fail(`"images.remotePatterns[${i}].${key}" must be a string`);
    pattern[key] = field;
  }
  return pattern;
}

function localPatternOf(value: unknown, i: number, fail: Fail): LocalPattern {
  if (value === null || typeof value !== "object") throw fail(`"images.localPatterns[${i}]" must be an object`);
  const { pathname, search } = value as Record<string, unknown>;
  const pattern: LocalPattern = {};
  if (pathname !== undefined) {
    if (typeof pathname !== "string" || !pathname.startsWith("/"))
      throw fail(`"images.localPatterns[${i}].pathname" must be a string starting with "/"`);
    pattern.pathname = pathname;
  }
  if (search !== undefined) {
    if (typeof search !== "string") throw fail(`"images.localPatterns[${i}].search" must be a string`);
    pattern.search = search;
  }
  return pattern;
}

function listOf(value: unknown, key: string, fail: Fail): unknown[] {
  if (!Array.isArray(value)) throw fail(`"images.${key}" must be an array`);
  return value;
}

/**
 * next.config `images` (plain data) with the defaults filled in; an invalid value throws
 * `fail(message)`. `notes` receives one line per key that is kept but not acted on.
 */
export function toImageConfig(raw: Record<string, unknown> | undefined, fail: Fail, notes?: (line: string) => void): ImageConfig {
  const config: ImageConfig = structuredClone(IMAGE_DEFAULTS) as ImageConfig;
  if (raw === undefined) return config;
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    switch (key) {
      case "deviceSizes":
        config.deviceSizes = sizesOf(value, key, fail, 10_000);
        break;
      case "imageSizes":
        config.imageSizes = sizesOf(value, key, fail, 10_000);
        break;
      case "qualities":
        config.qualities = sizesOf(value, key, fail, 100);
        break;
      case "formats": {
        const formats = listOf(value, key, fail);
        for (const format of formats) {
          if (format !== "image/avif" && format !== "image/webp")
            throw fail(`"images.formats" holds ${JSON.stringify(format)}; each must be "image/avif" or "image/webp"`);
        }
        config.formats = formats as ImageFormat[];
        break;
      }
      case "minimumCacheTTL":
        if (!Number.isInteger(value) || (value as number) < 0)
          throw fail(`"images.minimumCacheTTL" must be an integer of 0 or more (seconds), got ${JSON.stringify(value)}`);
        config.minimumCacheTTL = value as number;
        break;
      case "maximumRedirects":
        if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 20)
          throw fail(`"images.maximumRedirects" must be an integer from 0 to 20, got ${JSON.stringify(value)}`);
        config.maximumRedirects = value as number;
        break;
      case "maximumResponseBody":
        if (!Number.isInteger(value) || (value as number) < 1)
          throw fail(`"images.maximumResponseBody" must be a positive integer (bytes), got ${JSON.stringify(value)}`);
        config.maximumResponseBody = value as number;
        break;
      case "dangerouslyAllowSVG":
      case "dangerouslyAllowLocalIP":
      case "unoptimized":
        config[key] = booleanOf(value, key, fail);
        break;
      case "disableStaticImages":
        // Read by the build (build/vite-config.ts): image imports stay Vite's URL strings.
        booleanOf(value, key, fail);
        break;
      case "contentSecurityPolicy":
        if (typeof value !== "string") throw fail(`"images.contentSecurityPolicy" must be a string`);
        config.contentSecurityPolicy = value;
        break;
      case "contentDispositionType":
        if (value !== "inline" && value !== "attachment")
          throw fail(`"images.contentDispositionType" must be "inline" or "attachment", got ${JSON.stringify(value)}`);
        config.contentDispositionType = value;
        break;
      case "remotePatterns":
        config.remotePatterns = listOf(value, key, fail).map((pattern, i) => remotePatternOf(pattern, i, fail));
        break;
      case "localPatterns":
        config.localPatterns = listOf(value, key, fail).map((pattern, i) => localPatternOf(pattern, i, fail));
        break;
      case "domains":
        config.domains = listOf(value, key, fail).map((domain) => {
          if (typeof domain !== "string" || domain === "") throw fail(`"images.domains" must hold host names`);
          return domain;
        });
        break;
      case "loader":
        if (value === "default") break;
        notes?.(`"images.loader" is ${NOT_READ.loader}`);
        break;
      default:
        notes?.(`"images.${key}" is ${NOT_READ[key] ?? "not a key Tandem reads; it has no effect"}`);
    }
  }
  return config;
}

export function toClientImageConfig(config: ImageConfig): ClientImageConfig {
  const { deviceSizes, imageSizes, qualities, unoptimized, dangerouslyAllowSVG } = config;
  return { deviceSizes, imageSizes, qualities, unoptimized, dangerouslyAllowSVG };
}
