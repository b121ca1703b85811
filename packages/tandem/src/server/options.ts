import { inspect } from "node:util";
import { TandemError } from "../errors/http-error.js";
import { checkCompressionOptions, Compressor, type CompressionOptions } from "../compression/compressor.js";
import type { ServeOptions } from "./types.js";

export interface ResolvedOptions {
  fetch: ServeOptions["fetch"];
  onUpgrade: ServeOptions["onUpgrade"];
  onShutdown: Array<() => void | Promise<void>>;
  port: number;
  host: string;
  bodyLimit: number;
  maxHeaderSize: number;
  headersTimeout: number;
  requestTimeout: number;
  handlerTimeout: number;
  keepAliveTimeout: number;
  shutdownTimeout: number;
  trustProxy: boolean;
  accessLog: boolean;
  handleSignals: boolean;
  fastResponse: boolean;
  logger: Pick<Console, "error" | "warn" | "info">;
  /** The compression settings of the response about to be written; undefined: none. */
  compressor: () => Compressor | undefined;
}

export const DEFAULTS = {
  port: 3000,
  host: "0.0.0.0",
  bodyLimit: 1024 * 1024,
  maxHeaderSize: 16 * 1024,
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  handlerTimeout: 30_000,
  keepAliveTimeout: 72_000,
  shutdownTimeout: 10_000,
} as const;

// The largest timer Node accepts; larger values silently become 1 ms.
const MAX_TIMER = 2 ** 31 - 1;

function invalid(name: string, expected: string, value: unknown): TandemError {
  return new TandemError("TND_ERR_INVALID_OPTION", `serve(): option "${name}" must be ${expected}, got ${inspect(value)}`);
}

function integer(options: ServeOptions, name: keyof typeof DEFAULTS & keyof ServeOptions, min: number, max: number, unit: string): number {
  const value = options[name];
  if (value === undefined) return DEFAULTS[name] as number;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(name, `an integer ${unit} from ${min} to ${max}`, value);
  }
  return value;
}

/** Every limit is checked once at startup, so a typo in config fails the deploy instead of a request. */
export function resolveOptions(options: ServeOptions): ResolvedOptions {
  if (options === null || typeof options !== "object") throw invalid("options", "an object", options);
  if (typeof options.fetch !== "function") throw invalid("fetch", "a function (request: Request) => Response", options.fetch);
  if (options.onUpgrade !== undefined && typeof options.onUpgrade !== "function") {
    throw invalid("onUpgrade", "a function", options.onUpgrade);
  }
  const onShutdown = options.onShutdown ?? [];
  if (!Array.isArray(onShutdown) || onShutdown.some((hook) => typeof hook !== "function")) {
    throw invalid("onShutdown", "an array of functions", options.onShutdown);
  }
  const host = options.host ?? DEFAULTS.host;
  if (typeof host !== "string" || host.length === 0) throw invalid("host", "a non-empty string", options.host);
  for (const flag of ["trustProxy", "handleSignals", "fastResponse", "accessLog"] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== "boolean") throw invalid(flag, "a boolean", options[flag]);
  }
  const logger = options.logger ?? console;
  if (typeof logger?.error !== "function" || typeof logger.warn !== "function" || typeof logger.info !== "function") {
    throw invalid("logger", "an object with error, warn and info functions", options.logger);
  }
  const resolved: ResolvedOptions = {
    fetch: options.fetch,
    onUpgrade: options.onUpgrade,
    onShutdown: [...onShutdown],
    port: integer(options, "port", 0, 65535, "port"),
    host,
    bodyLimit: integer(options, "bodyLimit", 0, Number.MAX_SAFE_INTEGER, "of bytes"),
    maxHeaderSize: integer(options, "maxHeaderSize", 1024, 1024 * 1024, "of bytes"),
    headersTimeout: integer(options, "headersTimeout", 1, MAX_TIMER, "of milliseconds"),
    requestTimeout: integer(options, "requestTimeout", 1, MAX_TIMER, "of milliseconds"),
    handlerTimeout: integer(options, "handlerTimeout", 0, MAX_TIMER, "of milliseconds"),
    keepAliveTimeout: integer(options, "keepAliveTimeout", 1, MAX_TIMER, "of milliseconds"),
    shutdownTimeout: integer(options, "shutdownTimeout", 0, MAX_TIMER, "of milliseconds"),
    trustProxy: options.trustProxy ?? false,
    accessLog: options.accessLog ?? false,
    handleSignals: options.handleSignals ?? false,
    fastResponse: options.fastResponse ?? true,
    logger,
    compressor: resolveCompression(options.compression),
  };
  // node:http refuses this combination with a less helpful message; the headers are part of the request.
  if (resolved.headersTimeout > resolved.requestTimeout) {
    throw invalid("headersTimeout", `at most requestTimeout (${resolved.requestTimeout})`, resolved.headersTimeout);
  }
  return resolved;
}

const none = (): undefined => undefined;
const DEFAULT_COMPRESSION: CompressionOptions = {};
const compiled = new WeakMap<object, Compressor>();

function compressorOf(value: boolean | CompressionOptions | undefined): Compressor | undefined {
  if (value === undefined || value === false) return undefined;
  const options = value === true ? DEFAULT_COMPRESSION : value;
  let compressor = compiled.get(options);
  if (compressor === undefined) {
    const problem = checkCompressionOptions(options);
    if (problem !== undefined) throw invalid("compression", `valid compression options: ${problem}`, options);
    compressor = new Compressor(options);
    compiled.set(options, compressor);
  }
  return compressor;
}

function resolveCompression(value: ServeOptions["compression"]): () => Compressor | undefined {
  if (typeof value === "function") return () => compressorOf(value());
  const compressor = compressorOf(value);
  return compressor === undefined ? none : () => compressor;
}
