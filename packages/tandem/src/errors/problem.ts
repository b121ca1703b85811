import { STATUS_CODES } from "node:http";

import type { ErrorFields } from "./error-fields.js";

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
