import type { StandardSchemaV1 } from "@standard-schema/spec";
import { HttpError } from "../errors/http-error.js";
import { Reply } from "./reply.js";
import type { HandlerSpec, Schema } from "./types.js";
import { Check, isSchema } from "./validate.js";

/**
 * Turns what a validated handler returned into a Response; data goes through the response schema.
 * Built once per handler, so a request looks its schema up instead of re-reading the spec.
 */
export class Responder {
  readonly #status: number;
  /** One schema for every success status (`response: schema`). */
  readonly #success: Check | undefined;
  /** Or one per status (`response: { 201: schema }`). */
  readonly #byStatus: Map<number, Check> | undefined;

  constructor(spec: HandlerSpec) {
    this.#status = spec.status ?? 200;
    const response = spec.response;
    if (response === undefined) return;
    if (isSchema(response)) {
      this.#success = new Check(response, "body");
      return;
    }
    this.#byStatus = new Map();
    for (const [status, schema] of Object.entries(response as Record<string, Schema>)) {
      this.#byStatus.set(Number(status), new Check(schema, "body"));
    }
  }

  #schemaFor(status: number): Check | undefined {
    if (this.#success !== undefined) return status < 300 ? this.#success : undefined;
    return this.#byStatus?.get(status);
  }

  /** Synchronous unless the response schema is async: a sync answer skips a promise turn. */
  respond(result: unknown): Response | Promise<Response> {
    if (result === undefined) return new Response(null, { status: 204 });
    if (isData(result)) return this.#send(result, this.#status, undefined);
    if (result instanceof Response) return result;
    const replied = result instanceof Reply ? result : undefined;
    const status = replied === undefined ? this.#status : replied.status;
    const data = replied === undefined ? result : replied.data;
    return this.#send(data, status, replied);
  }

  #send(data: unknown, status: number, replied: Reply<unknown> | undefined): Response | Promise<Response> {
    const schema = this.#schemaFor(status);
    if (schema === undefined) return send(data, status, replied);
    const checked = schema.run(data);
    if (checked instanceof Promise) return checked.then((r) => send(output(r, schema, status), status, replied));
    return send(output(checked, schema, status), status, replied);
  }
}

/**
 * Primitives, plain objects and arrays: what handlers return most, and never a Response or a
 * Reply. Asking first skips `instanceof Response`, which for the server's FastResponse means a
 * brand check and an Object.prototype.toString call per request.
 */
function isData(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return true;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === Array.prototype || proto === null;
}

function output(result: StandardSchemaV1.Result<unknown>, schema: Check, status: number): unknown {
  if (!result.issues) return result.value;
  // The issues describe server code, not the client's request: the app logs them (a 5xx error's
  // cause) with the request's id; the client gets a generic 500.
  const cause = { message: "the handler's data does not match its response schema", status, issues: schema.issues(result) };
  throw new HttpError("TND_ERR_API_RESPONSE_INVALID", "The server produced an invalid response", { cause });
}

function send(data: unknown, status: number, replied: Reply<unknown> | undefined): Response {
  if (data === undefined || status === 204 || status === 205 || status === 304) {
    return new Response(null, { status, headers: replied?.headers });
  }
  // Response.json: Tandem's server writes its string body straight out, without a stream.
  if (replied === undefined) return status === 200 ? Response.json(data) : Response.json(data, { status });
  const headers = new Headers(replied.headers);
  headers.set("content-type", "application/json");
  return Response.json(data, { status, headers });
}
