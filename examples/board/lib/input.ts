import { HttpError } from "tandem/server";

/** Reads a JSON object body and checks a string field; the error says which field and why. */
export async function readObject(request: Request): Promise<Record<string, unknown>> {
  if (!request.headers.get("content-type")?.includes("application/json")) {
    throw new HttpError("UNSUPPORTED_MEDIA_TYPE", "Send a JSON body with Content-Type: application/json.", { status: 415 });
  }
  const body: unknown = await request.json();
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new HttpError("INVALID_INPUT", "The body must be a JSON object.", { status: 400 });
  }
  return body as Record<string, unknown>;
}

export function text(body: Record<string, unknown>, field: string, options: { required: boolean; max: number }): string | undefined {
  const value = body[field];
  if (value === undefined && !options.required) return undefined;
  if (typeof value !== "string" || value.trim() === "" || value.length > options.max) {
    throw new HttpError("INVALID_INPUT", `"${field}" must be a non-empty string of at most ${options.max} characters.`, { status: 400 });
  }
  return value.trim();
}
