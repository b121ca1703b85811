export interface ReconnectOptions {
  /** ms before the first retry. Default 250. */
  minDelay?: number;
  /** Upper bound in ms. Default 10 000. */
  maxDelay?: number;
  /** Give up after this many failed attempts in a row. Default: never. */
  maxRetries?: number;
}

/**
 * Exponential backoff with jitter: the delay doubles per failed attempt up to maxDelay and is
 * randomized into its upper half, so clients dropped together (a server restart) do not all
 * come back in the same millisecond.
 */
export function backoffDelay(attempt: number, options: ReconnectOptions, random: () => number = Math.random): number {
  const min = options.minDelay ?? 250;
  const max = options.maxDelay ?? 10_000;
  const ceiling = Math.min(max, min * 2 ** Math.min(attempt, 30));
  return ceiling / 2 + random() * (ceiling / 2);
}
