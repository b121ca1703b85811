/**
 * Every error Tandem raises has a stable `TND_ERR_*` code, declared in one of the
 * per-feature tables in this folder and collected by `registry.ts`.
 * A test checks that the registry, the `ErrorCode` type and docs/errors.md agree.
 */
export interface ErrorSpec {
  /** HTTP status when the error reaches a client; 500 for startup/build errors. */
  readonly status: number;
  /** One sentence for docs/errors.md: when it happens and what to do. */
  readonly description: string;
}

export function defineErrors<const T extends Record<`TND_ERR_${string}`, ErrorSpec>>(table: T): T {
  return table;
}
