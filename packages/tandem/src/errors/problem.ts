import { STATUS_CODES } from "node:http";

/**
 * How Tandem writes the error responses it builds: its own JSON (`{ error: { code, message } }`,
 * the default) or RFC 9457 problem details (`application/problem+json`), chosen with
 * `errors.format` in tandem.config.ts.
 */
export type ErrorFormat = "json" | "problem+json";

export const ERROR_FORMATS: readonly ErrorFormat[] = ["json", "problem+json"];

/** What an error response says, whichever format writes it. */
export interface ErrorFields {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly details?: Record<string, unknown> | undefined;
}

// Symbol.for: the response may come from a second copy of Tandem (the app bundle's tandem/server,
// decision 0009) and must still be recognized by the copy that serves it.
const FIELDS = Symbol.for("tandem.error-fields");

/**
 * Marks a JSON error response with what it says, so that an app in problem+json mode can write
 * the same error as problem details. One property on an error response; nothing on success.
 */
export function markErrorResponse(response: Response, fields: ErrorFields): Response {
  (response as unknown as Record<symbol, ErrorFields>)[FIELDS] = fields;
  return response;
}

/** What a marked error response says; undefined for every other response. */
export function errorFieldsOf(response: Response): ErrorFields | undefined {
  // Not always a Response: a broken handler's answer reaches the server's own check as it is.
  return (response as unknown as Record<symbol, ErrorFields | undefined> | null | undefined)?.[FIELDS];
}

/**
 * The RFC 9457 body: `type` is "about:blank" (the problem is what the status says; Tandem's
 * `code` tells errors with one status apart), so `title` is the status's reason phrase (9457
 * 4.2.1). `detail` is the message, `instance` the path it happened on; `code`, `requestId` and the
 * error's details (a validation error's `issues`) are extension members. The standard members
 * come last so that no detail can overwrite them.
 */
export function problemBody(fields: ErrorFields, instance: string | undefined, requestId: string | undefined): Record<string, unknown> {
  return {
    ...fields.details,
    type: "about:blank",
    title: STATUS_CODES[fields.status] ?? "Error",
    status: fields.status,
    detail: fields.message,
    ...(instance !== undefined ? { instance } : {}),
    code: fields.code,
    ...(requestId !== undefined ? { requestId } : {}),
  };
}

export const PROBLEM_TYPE = "application/problem+json";

/** The problem+json response for an error, keeping the headers it had (Allow, Retry-After ...). */
export function problemResponse(
  fields: ErrorFields,
  options: { instance?: string | undefined; requestId?: string | undefined; headers?: HeadersInit | undefined },
): Response {
  const headers = new Headers(options.headers);
  headers.delete("content-length");
  headers.set("content-type", PROBLEM_TYPE);
  const body = JSON.stringify(problemBody(fields, options.instance, options.requestId));
  return new Response(body, { status: fields.status, headers });
}
