import { checkCompressionOptions, type CompressionOptions } from "./compression/compressor.js";
import { TandemError } from "./errors/http-error.js";
import { ERROR_FORMATS, type ErrorFormat } from "./errors/error-fields.js";
import { LEVELS, toLogLevel, type LogLevel } from "./logger/create-logger.js";
import type { ServerLimits } from "./server/types.js";

/** tandem.config.ts default-exports defineConfig({...}). Every field is optional. */
export interface TandemConfig {
  server?: ServerLimits & {
    port?: number;
    host?: string;
    /**
     * Behind a proxy that sets X-Forwarded-Proto/-Host and X-Request-Id itself (overwriting what
     * clients sent): build request.url from them and take its request ids. Default false.
     */
    trustProxy?: boolean;
  };
  /**
   * The framework's log: JSON lines from `tandem start`, readable ones from `tandem dev`.
   * `level` (default "info"; LOG_LEVEL wins), `accessLog: true` for one line per request with
   * its id, method, path, status and time. See docs/logging.md.
   */
  logging?: { level?: LogLevel; accessLog?: boolean };
  /** Origins, besides the app's own, allowed for WebSocket upgrades and server actions. */
  allowedOrigins?: string[];
  jobs?: {
    /**
     * Serve the dashboard at /_tandem/jobs in production (always on in `tandem dev`).
     * `true` requires a middleware whose matcher covers /_tandem/jobs (checked at startup);
     * or pass `{ authorize(request) }` to decide per request.
     */
    dashboard?: boolean | { authorize: (request: Request) => boolean | Promise<boolean> };
    /** Folder for the embedded SQLite file, relative to the project. Default ".data"; TANDEM_DATA_DIR overrides it. */
    dataDir?: string;
    /** Key prefix of the BullMQ queues (with REDIS_URL). Default "tandem". */
    prefix?: string;
    /** Largest JSON payload in bytes; bigger is a 413 TND_ERR_JOB_PAYLOAD_TOO_LARGE. Default 1 MiB. */
    payloadLimit?: number;
    /** ms finished jobs are kept for inspection and key de-duplication. Default 7 days. */
    keepCompleted?: number;
  };
  /**
   * Server Actions. `allowMissingOrigin: true` runs requests that carry neither Origin nor
   * Sec-Fetch-Site (scripts, very old browsers); by default they get 403 TND_ERR_ACTION_NO_ORIGIN.
   */
  actions?: { allowMissingOrigin?: boolean };
  /**
   * Response compression (brotli, zstd, gzip) for compressible bodies of at least `threshold`
   * bytes (default 1024), negotiated from Accept-Encoding. On by default; `false` turns it off,
   * also for the build's precompressed `.br`/`.gz` assets. See docs/compression.md.
   */
  compression?: false | CompressionOptions;
  /**
   * How the error responses Tandem builds are written: `format: "json"` (default) is
   * `{ error: { code, message } }`; `"problem+json"` is RFC 9457 problem details
   * (`application/problem+json` with `type`, `title`, `status`, `detail`, `instance`, `code`,
   * `requestId`). Browsers asking for HTML still get HTML error pages. See docs/route-handlers.md.
   */
  errors?: { format?: ErrorFormat };
  /**
   * Prometheus metrics at /_tandem/metrics: requests by method, route and status, their duration,
   * open sockets, jobs by state. Off by default. `true` requires a middleware whose matcher covers
   * /_tandem/metrics (checked at startup, not in `tandem dev`); or pass `{ authorize(request) }`
   * to decide per scrape. See docs/observability.md.
   */
  metrics?: boolean | { authorize: (request: Request) => boolean | Promise<boolean> };
  /** /openapi.json and an interactive reference page at /reference (Swagger UI, served locally); false turns both off. */
  openapi?: false | { path?: string; docsPath?: string; title?: string; version?: string };
}

export function defineConfig(config: TandemConfig): TandemConfig {
  return config;
}

const TOP_LEVEL = new Set(["server", "allowedOrigins", "actions", "jobs", "openapi", "compression", "logging", "errors", "metrics"]);

/** Catches typos and wrong types at startup instead of silently ignoring them. */
export function validateConfig(value: unknown, file = "tandem.config"): TandemConfig {
  const fail = (message: string): never => {
    throw new TandemError("TND_ERR_INVALID_CONFIG", `${file}: ${message}`);
  };
  if (value === null || typeof value !== "object" || Array.isArray(value)) fail("the default export must be an object (use defineConfig)");
  const config = value as Record<string, unknown>;
  for (const key of Object.keys(config)) if (!TOP_LEVEL.has(key)) fail(`unknown option "${key}"`);
  for (const key of ["server", "jobs", "actions", "logging", "errors"] as const) {
    const v = config[key];
    if (v !== undefined && (v === null || typeof v !== "object" || Array.isArray(v))) fail(`"${key}" must be an object`);
  }
  const origins = config.allowedOrigins;
  if (origins !== undefined && (!Array.isArray(origins) || origins.some((o) => typeof o !== "string" || !/^https?:\/\/[^/]+$/.test(o)))) {
    fail(`"allowedOrigins" must be an array of origins like "https://example.com"`);
  }
  const allowMissing = (config.actions as { allowMissingOrigin?: unknown } | undefined)?.allowMissingOrigin;
  if (allowMissing !== undefined && typeof allowMissing !== "boolean") fail(`"actions.allowMissingOrigin" must be a boolean`);
  const trustProxy = (config.server as { trustProxy?: unknown } | undefined)?.trustProxy;
  if (trustProxy !== undefined && typeof trustProxy !== "boolean") fail(`"server.trustProxy" must be a boolean`);
  const logging = config.logging as { level?: unknown; accessLog?: unknown } | undefined;
  for (const key of Object.keys(logging ?? {})) if (key !== "level" && key !== "accessLog") fail(`unknown option "logging.${key}"`);
  if (logging?.level !== undefined && toLogLevel(logging.level as string) === undefined) {
    fail(`"logging.level" must be one of ${LEVELS.join(", ")}, got ${JSON.stringify(logging.level)}`);
  }
  if (logging?.accessLog !== undefined && typeof logging.accessLog !== "boolean") fail(`"logging.accessLog" must be a boolean`);
  const errors = config.errors as { format?: unknown } | undefined;
  for (const key of Object.keys(errors ?? {})) if (key !== "format") fail(`unknown option "errors.${key}"`);
  if (errors?.format !== undefined && !ERROR_FORMATS.includes(errors.format as ErrorFormat)) {
    fail(`"errors.format" must be one of ${ERROR_FORMATS.map((f) => JSON.stringify(f)).join(", ")}, got ${JSON.stringify(errors.format)}`);
  }
  const metrics = config.metrics as { authorize?: unknown } | boolean | undefined;
  if (metrics !== undefined && typeof metrics !== "boolean") {
    if (metrics === null || typeof metrics !== "object" || Array.isArray(metrics) || typeof metrics.authorize !== "function") {
      fail(`"metrics" must be true, false or { authorize(request) }`);
    }
    for (const key of Object.keys(metrics)) if (key !== "authorize") fail(`unknown option "metrics.${key}"`);
  }
  const compression = checkCompressionOptions(config.compression);
  if (compression !== undefined || config.compression === true) fail(`"compression" ${compression ?? "must be false or an object"}`);
  return config as TandemConfig;
}
