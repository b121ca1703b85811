import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { Reply } from "../api/reply.js";
import type { ApiErrorBody, Schema } from "../api/types.js";

/**
 * The client reads everything from two generated facts per route (its folder params and
 * `typeof import(route)[METHOD]`) plus the phantom `~tandem.types` on defineHandler's result.
 * Each lookup is a few conditional types, not a chain over every route, to keep tsc fast.
 */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>;
export type FormValue = string | Blob | number | boolean | null | undefined | ReadonlyArray<string | Blob | number | boolean>;

type SpecOf<H> = H extends { readonly "~tandem": { readonly spec: infer S } } ? S : undefined;
type ResultOf<H> = H extends { readonly "~tandem": { readonly types?: { readonly result: infer R } } } ? R : unknown;
type Input<S> = S extends Schema ? StandardSchemaV1.InferInput<S> : never;
type Output<S> = S extends Schema ? StandardSchemaV1.InferOutput<S> : never;

/** `{}` extends T when every key is optional: then the whole field may be left out. */
type Field<K extends string, T> = {} extends T ? { [P in K]?: T } : { [P in K]: T };

type ParamsPart<P> = keyof P extends never ? { params?: undefined } : Field<"params", P>;

type QueryPart<S> = S extends { readonly query: infer Q extends Schema }
  ? Field<"query", Input<Q>>
  : { query?: Record<string, QueryValue> };

type HeadersPart<S> = S extends { readonly headers: infer H extends Schema }
  ? Field<"headers", Input<H> & Record<string, string>>
  : { headers?: Record<string, string> };

type BodyPart<S> = S extends undefined
  ? { body?: unknown; form?: Record<string, FormValue> | FormData }
  : S extends { readonly body: infer B extends Schema }
    ? S extends { readonly bodyType: "form" | "multipart" }
      ? Field<"form", Input<B>> & { body?: never }
      : Field<"body", Input<B>> & { form?: never }
    : { body?: never; form?: never };

export type CallInit<Entry, H> = ParamsPart<Entry extends { params: infer P } ? P : {}> &
  QueryPart<SpecOf<H>> &
  HeadersPart<SpecOf<H>> &
  BodyPart<SpecOf<H>> & { signal?: AbortSignal };

type NoContent = Response | void | undefined;
type Unreply<R> = R extends Reply<infer T> ? T : R;
type Returned<R> = [Exclude<R, NoContent>] extends [never] ? undefined : Unreply<Exclude<R, NoContent>>;
type TwoXX<M> = { [K in keyof M]: `${K & number}` extends `2${string}` ? Output<M[K]> : never }[keyof M];

/** JSON the client gets on success: the response schema's output, else what the handler returns. */
export type DataOf<H> =
  SpecOf<H> extends { readonly response: infer R }
    ? R extends Schema
      ? Output<R>
      : TwoXX<R>
    : SpecOf<H> extends undefined
      ? unknown
      : Returned<ResultOf<H>>;

export type ApiError = ApiErrorBody["error"];

export type ClientResult<T> =
  | { ok: true; status: number; data: T; error: undefined; response: Response }
  | { ok: false; status: number; data: undefined; error: ApiError; response: Response };

/** Patterns of R that export method M. */
export type PathsFor<R, M extends Method> = { [P in keyof R]: M extends keyof R[P] ? P : never }[keyof R] & string;

type Args<I> = {} extends I ? [init?: I] : [init: I];

/** The methods one route exports, each typed from its own handler. */
export type RouteClient<Entry> = {
  readonly [M in Method & keyof Entry]: (...init: Args<CallInit<Entry, Entry[M]>>) => Promise<ClientResult<DataOf<Entry[M]>>>;
};

/**
 * `api("/api/boards/[id]").GET({ params })`. The path is fixed by its own call before any input is
 * checked: with `api.get(path, init)` TypeScript typed `init` against every route at once while
 * inferring the path, which made each call cost milliseconds on a 500-route app.
 */
export type Client<R> = <P extends keyof R & string>(path: P) => RouteClient<R[P]>;

export interface ClientOptions {
  /** Defaults to the global fetch; pass one for tests, retries or an agent. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Sent with every call; a function is called per request (e.g. to read a fresh token). */
  headers?: Record<string, string> | Headers | (() => Record<string, string> | Headers | Promise<Record<string, string> | Headers>);
  credentials?: RequestCredentials;
  /** Aborts every call made by this client (combined with each call's own signal). */
  signal?: AbortSignal;
}
