import type { StandardSchemaV1 } from "@standard-schema/spec";
import { markErrorResponse } from "../errors/error-fields.js";
import { errorRegistry } from "../errors/registry.js";
import type { Schema, ValidationIssue, Where } from "./types.js";

function toPath(path: StandardSchemaV1.Issue["path"]): Array<string | number> {
  if (!path) return [];
  return path.map((segment) => {
    const key = typeof segment === "object" && segment !== null ? segment.key : segment;
    return typeof key === "symbol" ? (key.description ?? "") : key;
  });
}

type Result = StandardSchemaV1.Result<unknown>;

/**
 * One Standard Schema, with its `~standard` props read once: some libraries build that object in a
 * getter, and a request should not pay for it.
 */
export class Check {
  readonly location: Where;
  readonly #props: StandardSchemaV1.Props;

  constructor(schema: Schema, location: Where) {
    this.location = location;
    this.#props = schema["~standard"];
  }

  /**
   * The library's own result: sync schemas answer synchronously (no promise, no await per
   * request); async ones (refinements that look something up) return a promise.
   */
  run(value: unknown): Result | Promise<Result> {
    return this.#props.validate(value);
  }

  issues(result: StandardSchemaV1.FailureResult): ValidationIssue[] {
    const location = this.location;
    return result.issues.map((issue) => ({ location, path: toPath(issue.path), message: issue.message }));
  }
}

const VALIDATION = "TND_ERR_VALIDATION";
const VALIDATION_STATUS = errorRegistry[VALIDATION].status;
// Shared by every 400: responses copy their init headers, never change them.
const JSON_TYPE = Object.freeze({ "content-type": "application/json; charset=utf-8" });

function validationMessage(issues: ValidationIssue[]): string {
  const where = [...new Set(issues.map((issue) => issue.location))].join(", ");
  const first = issues[0]!;
  const at = [first.location, ...first.path].join(".");
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return `Invalid request ${where}: ${at}: ${first.message}${more}`;
}

/**
 * The 400 for rejected input, byte for byte what `HttpError.toResponse()` sends for
 * TND_ERR_VALIDATION (a test holds the two together), built without the HttpError: a rejected
 * request is ordinary traffic, and the error's stack trace and two Headers objects cost more
 * than the schema library's own work on it.
 */
export function validationResponse(issues: ValidationIssue[]): Response {
  const message = validationMessage(issues);
  const body = JSON.stringify({ error: { code: VALIDATION, message, issues } });
  const response = new Response(body, { status: VALIDATION_STATUS, headers: JSON_TYPE });
  return markErrorResponse(response, { status: VALIDATION_STATUS, code: VALIDATION, message, details: { issues } });
}

export function isSchema(value: unknown): value is Schema {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return false;
  const props = (value as { "~standard"?: { version?: unknown; validate?: unknown } })["~standard"];
  return props?.version === 1 && typeof props.validate === "function";
}
