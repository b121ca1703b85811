// What an error response says, on the response itself. No node: imports here: HttpError (which
// browser code can reach in dev, through Vite) imports this; problem.ts writes the RFC 9457 form.

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
