import type { StandardSchemaV1 } from "@standard-schema/spec";
import { TandemError } from "../errors/http-error.js";

/** Set by `tandem build` while it loads the built app: env is checked when the app starts, not when it is built. */
export const BUILD_PHASE = "TANDEM_PHASE";

/**
 * The app's environment variables, checked against a Standard Schema (zod, valibot, arktype) and
 * typed by it. Call it in a module that tandem.config.ts imports, and a missing or invalid
 * variable stops `tandem start` and `tandem dev` at startup with one line naming them all.
 * `tandem build` skips the check (a build machine rarely has the production secrets).
 * @example
 * // env.ts
 * export const env = defineEnv(z.object({ DATABASE_URL: z.url(), PORT: z.coerce.number().default(3000) }));
 * // tandem.config.ts
 * import "./env";
 */
export function defineEnv<S extends StandardSchemaV1>(
  schema: S,
  source: Record<string, string | undefined> = process.env,
): StandardSchemaV1.InferOutput<S> {
  if (process.env[BUILD_PHASE] === "build") return source as StandardSchemaV1.InferOutput<S>;
  const result = schema["~standard"].validate(source);
  if (result instanceof Promise) {
    throw new TandemError("TND_ERR_INVALID_ENV", "defineEnv(): the schema validates asynchronously; use a synchronous one");
  }
  if (result.issues === undefined) return result.value;
  const problems = result.issues.map((issue) => {
    const key = issue.path?.[0];
    const name = typeof key === "object" && key !== null ? String(key.key) : key === undefined ? "(environment)" : String(key);
    return `${name}${source[name] === undefined ? " is missing" : ""} (${issue.message})`;
  });
  throw new TandemError("TND_ERR_INVALID_ENV", `environment variables: ${problems.join(", ")}`);
}
