import type { RouteContext } from "../app/types.js";
import { HttpError, TandemError } from "../errors/http-error.js";
import { readBody, type BodyLimits } from "./body.js";
import { entriesToObject, headersToObject } from "./fields.js";
import { toResponse } from "./respond.js";
import type { HandlerArgs, HandlerResult, HandlerSpec, ValidatedHandler, ValidationIssue } from "./types.js";
import { check, isSchema, validationError } from "./validate.js";

const MiB = 1024 * 1024;
const SCHEMA_KEYS = ["params", "query", "headers", "body"] as const;
const BODY_TYPES = new Set(["json", "form", "multipart"]);

function positiveInt(spec: HandlerSpec, key: "bodyLimit" | "maxFields", fallback: number): number {
  const value = spec[key] ?? fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TandemError("TND_ERR_API_BAD_SPEC", `defineHandler: ${key} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** Fails at import time, so a wrong spec never becomes a 500 on the first request. */
function assertSpec(spec: HandlerSpec): BodyLimits {
  if (spec === null || typeof spec !== "object") {
    throw new TandemError("TND_ERR_API_BAD_SPEC", "defineHandler: the first argument must be an options object");
  }
  for (const key of SCHEMA_KEYS) {
    if (spec[key] !== undefined && !isSchema(spec[key])) {
      throw new TandemError(
        "TND_ERR_API_BAD_SPEC",
        `defineHandler: "${key}" is not a Standard Schema (zod 4, valibot 1, arktype 2 or another library implementing ~standard)`,
      );
    }
  }
  const { response } = spec;
  if (response !== undefined && !isSchema(response)) {
    const entries = typeof response === "object" && response !== null ? Object.entries(response) : [];
    const bad = entries.length === 0 || entries.some(([status, schema]) => !/^[1-5]\d\d$/.test(status) || !isSchema(schema));
    if (bad) {
      throw new TandemError(
        "TND_ERR_API_BAD_SPEC",
        'defineHandler: "response" must be a Standard Schema or an object mapping status codes (100-599) to schemas',
      );
    }
  }
  if (spec.bodyType !== undefined && !BODY_TYPES.has(spec.bodyType)) {
    throw new TandemError("TND_ERR_API_BAD_SPEC", `defineHandler: bodyType must be "json", "form" or "multipart"`);
  }
  if (spec.status !== undefined && (!Number.isInteger(spec.status) || spec.status < 200 || spec.status > 599)) {
    throw new TandemError("TND_ERR_API_BAD_SPEC", "defineHandler: status must be an integer from 200 to 599");
  }
  return {
    bodyLimit: positiveInt(spec, "bodyLimit", MiB),
    maxFields: positiveInt(spec, "maxFields", 1000),
  };
}

/**
 * What the handler receives. Query and headers are built only when a schema or the handler asks for
 * them (Headers iteration sorts and copies, and most handlers never look). A class, because object
 * literals with accessors are slow to create on every request.
 */
class Input {
  readonly request: Request;
  params: unknown;
  body: unknown;
  #query: unknown;
  #headers: unknown;
  readonly #maxFields: number;

  constructor(request: Request, params: unknown, body: unknown, maxFields: number) {
    this.request = request;
    this.params = params;
    this.body = body;
    this.#maxFields = maxFields;
  }

  get query(): unknown {
    return (this.#query ??= entriesToObject(new URL(this.request.url).searchParams.entries(), "query", this.#maxFields));
  }

  set query(value: unknown) {
    this.#query = value;
  }

  get headers(): unknown {
    return (this.#headers ??= headersToObject(this.request.headers));
  }

  set headers(value: unknown) {
    this.#headers = value;
  }
}

async function readInput(request: Request, context: RouteContext | undefined, spec: HandlerSpec, limits: BodyLimits) {
  const params = context === undefined ? {} : await context.params;
  const body = spec.body ? await readBody(request, spec.bodyType ?? "json", limits) : undefined;
  const args = new Input(request, params, body, limits.maxFields);
  let issues: ValidationIssue[] | undefined;
  for (const key of SCHEMA_KEYS) {
    const schema = spec[key];
    if (!schema) continue;
    let outcome = check(schema, args[key], key);
    if (outcome instanceof Promise) outcome = await outcome;
    if (outcome.ok) args[key] = outcome.value;
    else (issues ??= []).push(...outcome.issues);
  }
  if (issues) throw validationError(issues);
  return args;
}

/**
 * A route handler with validated, typed input. The result is an ordinary
 * `(request, { params }) => Promise<Response>` export, so it works anywhere a Next.js-style handler
 * does; its spec rides along on a non-enumerable `~tandem` property for OpenAPI and the client.
 *
 * ```ts
 * export const POST = defineHandler(
 *   { params: z.object({ id: z.string() }), body: z.object({ title: z.string() }), status: 201 },
 *   async ({ params, body }) => ({ id: params.id, title: body.title }),
 * );
 * ```
 */
export function defineHandler<const S extends HandlerSpec, R extends HandlerResult<S>>(
  spec: S,
  handler: (args: HandlerArgs<S>) => R | Promise<R>,
): ValidatedHandler<S, R> {
  const limits = assertSpec(spec);
  if (typeof handler !== "function") {
    throw new TandemError("TND_ERR_API_BAD_SPEC", "defineHandler: the second argument must be the handler function");
  }
  const route = async (request: Request, context?: RouteContext): Promise<Response> => {
    try {
      const input = await readInput(request, context, spec, limits);
      const result = await handler(input as unknown as HandlerArgs<S>);
      return await toResponse(result, spec);
    } catch (error) {
      if (error instanceof HttpError) return error.toResponse();
      throw error;
    }
  };
  Object.defineProperty(route, "~tandem", { value: Object.freeze({ spec }), enumerable: false });
  return route as unknown as ValidatedHandler<S, R>;
}

/** The spec of a defineHandler result, or undefined for a plain handler. */
export function getHandlerSpec(handler: unknown): HandlerSpec | undefined {
  if (typeof handler !== "function") return undefined;
  const meta = (handler as { "~tandem"?: { spec?: HandlerSpec } })["~tandem"];
  return meta?.spec;
}
