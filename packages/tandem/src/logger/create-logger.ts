import { createRequire } from "node:module";
import { inspect } from "node:util";
import type { Logger as Pino } from "pino";
import { mapStack } from "./map-stack.js";
import { formatPretty } from "./pretty.js";
import { TurnBatch } from "./turn-batch.js";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
export const LEVELS: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/**
 * What Tandem logs through: console-shaped (a message, then errors or values), so that
 * `console` itself, pino, or a test's recorder can be injected wherever a logger is taken.
 */
export interface Logger {
  error(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  info(...args: unknown[]): void;
  debug?(...args: unknown[]): void;
}

export interface LoggerOptions {
  /** Default "info"; LOG_LEVEL in the environment wins. */
  level?: LogLevel;
  /** One readable line per entry (tandem dev) instead of JSON (tandem start). */
  pretty?: boolean;
  /** Where lines go. Default stdout, one write per event-loop turn (turn-batch.ts). */
  destination?: { write(line: string): unknown };
}

/** A level name, or undefined when `value` is not one. */
export function toLogLevel(value: string | undefined): LogLevel | undefined {
  return LEVELS.includes(value as LogLevel) ? (value as LogLevel) : undefined;
}

/**
 * The framework's logger, on pino: JSON lines in production, readable ones in dev. pino loads on
 * the first line written, not at startup (importing it costs tens of milliseconds), so a server
 * that logs nothing starts as fast as before.
 */
export function createLogger(options: LoggerOptions = {}): Logger & { debug(...args: unknown[]): void } {
  const level = toLogLevel(process.env.LOG_LEVEL) ?? options.level ?? "info";
  let pino: Pino | undefined;
  const instance = (): Pino => {
    if (pino === undefined) {
      const create = createRequire(import.meta.url)("pino") as (options: object, stream?: object) => Pino;
      const destination = options.destination ?? process.stdout;
      const stream = options.pretty
        ? { write: (line: string) => destination.write(formatPretty(line)) }
        : (options.destination ?? new TurnBatch(process.stdout));
      pino = create({ level, base: { pid: process.pid }, serializers: { err: errorSerializer } }, stream);
    }
    return pino;
  };
  const rank = LEVELS.indexOf(level);
  const method =
    (name: "error" | "warn" | "info" | "debug") =>
    (...args: unknown[]): void => {
      // Checked here so that a level that is off costs no pino load and no argument work.
      if (level === "silent" || rank < LEVELS.indexOf(name)) return;
      // (message, fields): the access log's line on every request. pino reads the fields object
      // as it is; copying it into a new one first (toEntry) cost about a sixth of the line.
      if (args.length === 2 && typeof args[0] === "string" && isPlainFields(args[1])) return instance()[name](args[1], args[0]);
      const [fields, message] = toEntry(args);
      instance()[name](fields, message);
    };
  return { error: method("error"), warn: method("warn"), info: method("info"), debug: method("debug") };
}

function isPlainFields(arg: unknown): arg is Record<string, unknown> {
  return arg !== null && typeof arg === "object" && !Array.isArray(arg) && Object.getPrototypeOf(arg) === Object.prototype;
}

/** Console-style arguments as pino's (fields, message): strings make the message, the first error is `err`. */
function toEntry(args: unknown[]): [Record<string, unknown>, string] {
  const fields: Record<string, unknown> = {};
  const words: string[] = [];
  for (const arg of args) {
    if (typeof arg === "string") words.push(arg);
    else if (arg instanceof Error && fields.err === undefined) fields.err = arg;
    else if (isPlainFields(arg)) Object.assign(fields, arg);
    else words.push(inspect(arg));
  }
  return [fields, words.join(" ")];
}

function errorSerializer(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  // The app's files and lines, not the build's (see map-stack.ts); only errors pay for it.
  const stack = error.stack === undefined ? undefined : mapStack(error.stack);
  return { type: error.name, message: error.message, stack, ...(code !== undefined ? { code } : {}) };
}
