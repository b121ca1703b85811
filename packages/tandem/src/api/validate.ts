import type { StandardSchemaV1 } from "@standard-schema/spec";
import { HttpError } from "../errors/http-error.js";
import type { Schema, ValidationIssue, Where } from "./types.js";

function toPath(path: StandardSchemaV1.Issue["path"]): Array<string | number> {
  if (!path) return [];
  return path.map((segment) => {
    const key = typeof segment === "object" && segment !== null ? segment.key : segment;
    return typeof key === "symbol" ? (key.description ?? "") : key;
  });
}

export type Outcome = { ok: true; value: unknown } | { ok: false; issues: ValidationIssue[] };

/**
 * Runs one Standard Schema. Sync schemas answer synchronously (no promise per request); async ones
 * (refinements that look something up) return a promise.
 */
export function check(schema: Schema, value: unknown, location: Where): Outcome | Promise<Outcome> {
  const result = schema["~standard"].validate(value);
  return result instanceof Promise ? result.then((r) => outcome(r, location)) : outcome(result, location);
}

function outcome(result: StandardSchemaV1.Result<unknown>, location: Where): Outcome {
  if (!result.issues) return { ok: true, value: result.value };
  return {
    ok: false,
    issues: result.issues.map((issue) => ({ location, path: toPath(issue.path), message: issue.message })),
  };
}

export function validationError(issues: ValidationIssue[]): HttpError {
  const where = [...new Set(issues.map((issue) => issue.location))].join(", ");
  const first = issues[0]!;
  const at = [first.location, ...first.path].join(".");
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return new HttpError("TND_ERR_VALIDATION", `Invalid request ${where}: ${at}: ${first.message}${more}`, {
    details: { issues },
  });
}

export function isSchema(value: unknown): value is Schema {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return false;
  const props = (value as { "~standard"?: { version?: unknown; validate?: unknown } })["~standard"];
  return props?.version === 1 && typeof props.validate === "function";
}
