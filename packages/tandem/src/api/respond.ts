import { HttpError } from "../errors/http-error.js";
import { Reply } from "./reply.js";
import type { HandlerSpec, Schema } from "./types.js";
import { check, isSchema } from "./validate.js";

function schemaFor(spec: HandlerSpec, status: number): Schema | undefined {
  const response = spec.response;
  if (response === undefined) return undefined;
  if (isSchema(response)) return status < 300 ? response : undefined;
  return (response as Record<number, Schema>)[status];
}

/** Turns what a validated handler returned into a Response; data goes through the response schema. */
export async function toResponse(result: unknown, spec: HandlerSpec): Promise<Response> {
  if (result instanceof Response) return result;
  if (result === undefined) return new Response(null, { status: 204 });
  const replied = result instanceof Reply ? result : undefined;
  const status = replied?.status ?? spec.status ?? 200;
  let data = replied ? replied.data : result;
  const schema = schemaFor(spec, status);
  if (schema) {
    const outcome = await check(schema, data, "body");
    if (!outcome.ok) {
      // The issues describe server code, not the client's request: log them, send a generic 500.
      console.error("[tandem] response does not match its schema", { status, issues: outcome.issues });
      throw new HttpError("TND_ERR_API_RESPONSE_INVALID", "The server produced an invalid response");
    }
    data = outcome.value;
  }
  if (data === undefined || status === 204 || status === 205 || status === 304) {
    return new Response(null, { status, headers: replied?.headers });
  }
  // Response.json: Tandem's server writes its string body straight out, without a stream.
  if (!replied) return Response.json(data, { status });
  const headers = new Headers(replied.headers);
  headers.set("content-type", "application/json");
  return Response.json(data, { status, headers });
}
