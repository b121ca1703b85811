import { TandemError } from "../errors/http-error.js";
import { DEFAULT_MAX_PARAM_LENGTH } from "./path.js";
import type { RouterOptions } from "./types.js";

export interface ResolvedOptions<T> {
  maxParamLength: number;
  describe: (value: T, pattern: string) => string;
}

/** Shared by every Router so that a bad limit fails at startup, not on the first request. */
export function resolveOptions<T>(options: RouterOptions<T>): ResolvedOptions<T> {
  const maxParamLength = options.maxParamLength ?? DEFAULT_MAX_PARAM_LENGTH;
  if (!Number.isSafeInteger(maxParamLength) || maxParamLength < 1) {
    throw new TandemError("TND_ERR_ROUTER_OPTION_INVALID", `maxParamLength must be a positive integer, got ${String(maxParamLength)}.`);
  }
  return { maxParamLength, describe: options.describe ?? ((_value, pattern) => `pattern "${pattern}"`) };
}
