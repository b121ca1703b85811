import type { StandardSchemaV1 } from "@standard-schema/spec";
import { HandlerContext, withParamsEntry } from "../app/handler-context.js";
import type { RouteContext } from "../app/types.js";
import type { Params } from "../router/types.js";
import { HttpError, TandemError } from "../errors/http-error.js";
import { LATER, readArrivedBody, readBody, type BodyLimits } from "./body.js";
import { entriesToObject, headersToObject } from "./fields.js";
import { Responder } from "./respond.js";
import type { HandlerArgs, HandlerResult, HandlerSpec, ValidatedHandler, ValidationIssue, Where } from "./types.js";
import { Check, isSchema, validationResponse } from "./validate.js";

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

/**
 * The turn a LATER body is taken in. One settled promise for every request: `Promise.resolve()`
 * would make a new one each time, and only its settling matters.
 */
const ARRIVED = Promise.resolve();

/** For `later`: the body is still to be read, after the params. */
const READ_LATER: unique symbol = Symbol("read the body after the params");

/**
 * A 4xx HttpError's own response. Anything else is not the handler's to answer and goes on up: a
 * 5xx is the server's fault, which the app logs with the request's id before it answers.
 */
function httpResponse(error: unknown): Response {
  if (error instanceof HttpError && error.status < 500) return error.toResponse();
  throw error;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/** The declared schemas in reporting order; locations without a schema are never built or checked. */
function checksOf(spec: HandlerSpec): Check[] {
  const checks: Check[] = [];
  for (const key of SCHEMA_KEYS) {
    const schema = spec[key];
    if (schema) checks.push(new Check(schema, key));
  }
  return checks;
}

function valueAt(input: Input, location: Where): unknown {
  switch (location) {
    case "params":
      return input.params;
    case "query":
      return input.query;
    case "headers":
      return input.headers;
    case "body":
      return input.body;
  }
}

function store(input: Input, location: Where, value: unknown): void {
  switch (location) {
    case "params":
      input.params = value;
      break;
    case "query":
      input.query = value;
      break;
    case "headers":
      input.headers = value;
      break;
    case "body":
      input.body = value;
      break;
  }
}

/**
 * Runs every check, so one 400 lists every problem, and returns the issues (undefined when all
 * passed). Returns a promise only when a schema answered with one (async refinements); sync
 * schemas cost no promise turn.
 */
function validate(input: Input, checks: Check[]): ValidationIssue[] | undefined | Promise<ValidationIssue[] | undefined> {
  let issues: ValidationIssue[] | undefined;
  for (let i = 0; i < checks.length; i++) {
    const check = checks[i]!;
    const result = check.run(valueAt(input, check.location));
    if (result instanceof Promise) return validateAsync(input, checks, i, result, issues);
    if (result.issues) (issues ??= []).push(...check.issues(result));
    else store(input, check.location, result.value);
  }
  return issues;
}

async function validateAsync(
  input: Input,
  checks: Check[],
  from: number,
  pending: Promise<StandardSchemaV1.Result<unknown>>,
  issues: ValidationIssue[] | undefined,
): Promise<ValidationIssue[] | undefined> {
  for (let i = from; i < checks.length; i++) {
    const check = checks[i]!;
    const result = i === from ? await pending : await check.run(valueAt(input, check.location));
    if (result.issues) (issues ??= []).push(...check.issues(result));
    else store(input, check.location, result.value);
  }
  return issues;
}

/**
 * A route handler with validated, typed input. The result is an ordinary
 * `(request, { params }) => Response | Promise<Response>` export, so it works anywhere a Next.js-style
 * handler does; its spec rides along on a non-enumerable `~tandem` property for OpenAPI and the client.
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
  const checks = checksOf(spec);
  const responder = new Responder(spec);
  const bodyType = spec.bodyType ?? "json";
  const readsBody = spec.body !== undefined;

  // What the handler returned, as a Response; an HttpError it threw becomes its own response.
  const settle = (result: unknown): Response | Promise<Response> => {
    try {
      const response = responder.respond(result);
      // An async response schema answers with a promise; its rejection is mapped the same way.
      return response instanceof Promise ? response.then(undefined, httpResponse) : response;
    } catch (error) {
      return httpResponse(error);
    }
  };

  // Validation, the handler and its answer, for input that is all here: synchronous as long as
  // the schemas and the handler are, so such a request makes no promise at all.
  const run = (request: Request, params: unknown, body: unknown): Response | Promise<Response> => {
    const input = new Input(request, params, body, limits.maxFields);
    if (checks.length > 0) {
      const issues = validate(input, checks);
      if (issues instanceof Promise) {
        return issues.then((found) => (found === undefined ? answer(input) : validationResponse(found)), httpResponse);
      }
      // Returned, not thrown: rejected input is ordinary traffic (see validationResponse).
      if (issues !== undefined) return validationResponse(issues);
    }
    return answer(input);
  };

  const answer = (input: Input): Response | Promise<Response> => {
    let result: unknown;
    try {
      result = handler(input as unknown as HandlerArgs<S>);
    } catch (error) {
      return httpResponse(error);
    }
    return isThenable(result) ? Promise.resolve(result).then(settle, httpResponse) : settle(result);
  };

  // Params or a body that have to be waited for. A foreign context's params are awaited before the
  // body is read, so a body that fails to read never rejects with nobody listening.
  const later = async (request: Request, params: Params | PromiseLike<Params>, body: unknown): Promise<Response> => {
    try {
      const values = isThenable(params) ? await params : params;
      let value = body === READ_LATER ? (readsBody ? readBody(request, bodyType, limits) : undefined) : body;
      if (value === LATER) {
        await null;
        value = readArrivedBody(request, limits);
      }
      const response = run(request, values, isThenable(value) ? await value : value);
      return response instanceof Promise ? await response : response;
    } catch (error) {
      return httpResponse(error);
    }
  };

  // A body that comes one microtask after the handler started: taken and validated in that turn.
  const afterArrival = (request: Request, params: Params): Response | Promise<Response> => {
    try {
      const body = readArrivedBody(request, limits);
      return isThenable(body) ? later(request, params, body) : run(request, params, body);
    } catch (error) {
      return httpResponse(error);
    }
  };

  // The request with its params at hand (Tandem's router calls this directly): synchronous when
  // the body has arrived with the headers.
  const withParams = (request: Request, params: Params): Response | Promise<Response> => {
    try {
      const body = readsBody ? readBody(request, bodyType, limits) : undefined;
      if (body === LATER) return ARRIVED.then(() => afterArrival(request, params));
      if (isThenable(body)) return later(request, params, body);
      return run(request, params, body);
    } catch (error) {
      return httpResponse(error);
    }
  };

  // A function that answers synchronously when it can (Tandem's server hands over the params and a
  // small body at once): a Next.js handler may return a Response or a promise of one, and may
  // throw, as this one does for an error that is not an HttpError (a bug, for the app's 500).
  const route = (request: Request, context?: RouteContext): Response | Promise<Response> => {
    try {
      // A static route's context has no params (as in Next.js): those are no params at all.
      const params = context === undefined ? {} : (HandlerContext.paramsNow(context) ?? context.params ?? {});
      return isThenable(params) ? later(request, params, READ_LATER) : withParams(request, params);
    } catch (error) {
      return httpResponse(error);
    }
  };
  withParamsEntry(route, withParams);
  Object.defineProperty(route, "~tandem", { value: Object.freeze({ spec }), enumerable: false });
  return route as unknown as ValidatedHandler<S, R>;
}

/** The spec of a defineHandler result, or undefined for a plain handler. */
export function getHandlerSpec(handler: unknown): HandlerSpec | undefined {
  if (typeof handler !== "function") return undefined;
  const meta = (handler as { "~tandem"?: { spec?: HandlerSpec } })["~tandem"];
  return meta?.spec;
}
