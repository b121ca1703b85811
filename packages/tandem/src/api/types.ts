import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { RouteHandler } from "../app/types.js";
import type { Params } from "../router/types.js";
import type { Reply } from "./reply.js";

/** Any Standard Schema: zod 4, valibot 1, arktype 2, ... Only `~standard` is used. */
export type Schema = StandardSchemaV1;

/**
 * How the body is read. `json` accepts application/json and any `+json` type; `form` accepts
 * urlencoded and multipart (HTML forms send either); `multipart` accepts only multipart/form-data.
 */
export type BodyType = "json" | "form" | "multipart";

export type ResponseSpec = Schema | { readonly [status: number]: Schema };

export interface HandlerSpec {
  params?: Schema;
  query?: Schema;
  headers?: Schema;
  body?: Schema;
  /** One schema (for the success status) or one per status code. Returned data is validated against it. */
  response?: ResponseSpec;
  /** Default `json` when a body schema is given. */
  bodyType?: BodyType;
  /** Status for plain returned data. Default 200 (204 when the handler returns nothing). */
  status?: number;
  /** Bytes. Default 1 MiB, like the server's limit; over it the handler answers 413. */
  bodyLimit?: number;
  /** Max query/form fields. Default 1000; over it 413. */
  maxFields?: number;
  /** OpenAPI only. */
  summary?: string;
  description?: string;
  tags?: string[];
  operationId?: string;
  deprecated?: boolean;
}

export type Where = "params" | "query" | "headers" | "body";

/** One failing field. `path` is empty when the whole location is wrong (e.g. body not an object). */
export interface ValidationIssue {
  location: Where;
  path: Array<string | number>;
  message: string;
}

/** The stable JSON shape of every Tandem error response; `issues` only on TND_ERR_VALIDATION. */
export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    issues?: ValidationIssue[];
    accepted?: string[];
  };
}

type Out<S, Fallback> = S extends Schema ? StandardSchemaV1.InferOutput<S> : Fallback;
export type In<S, Fallback> = S extends Schema ? StandardSchemaV1.InferInput<S> : Fallback;

export interface HandlerArgs<S extends HandlerSpec> {
  params: Out<S["params"], Params>;
  /** Repeated keys arrive as arrays. */
  query: Out<S["query"], Record<string, string | string[]>>;
  /** Lowercased names. */
  headers: Out<S["headers"], Record<string, string>>;
  body: Out<S["body"], undefined>;
  request: Request;
}

/** Data the handler may return when a response schema is declared (its input side). */
export type DeclaredData<R> = R extends Schema
  ? StandardSchemaV1.InferInput<R>
  : R extends { readonly [status: number]: Schema }
    ? { [K in keyof R]: R[K] extends Schema ? StandardSchemaV1.InferInput<R[K]> : never }[keyof R]
    : unknown;

export type HandlerResult<S extends HandlerSpec> = DeclaredData<S["response"]> | Reply<DeclaredData<S["response"]>> | Response | void;

/**
 * What defineHandler returns: a plain Next.js-style route handler that also carries its spec.
 * `types` never exists at runtime; it lets the typed client read input/output types.
 */
export interface ValidatedHandler<S extends HandlerSpec, R> extends RouteHandler {
  readonly "~tandem": {
    readonly spec: S;
    readonly types?: { readonly result: R };
  };
}
