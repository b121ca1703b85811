import type { ApiError, Client, ClientOptions, ClientResult, FormValue, Method, QueryValue } from "./types.js";
import { fillPath, toQueryString } from "./path.js";

interface RawInit {
  params?: Record<string, unknown>;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string | undefined>;
  body?: unknown;
  form?: Record<string, FormValue> | FormData;
  signal?: AbortSignal;
}

/** Plain objects become multipart when they hold a file, urlencoded otherwise (smaller, simpler). */
function toFormBody(form: Record<string, FormValue> | FormData): FormData | URLSearchParams {
  if (form instanceof FormData) return form;
  const entries: Array<[string, string | Blob]> = [];
  for (const [key, value] of Object.entries(form)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      entries.push([key, item instanceof Blob ? item : String(item)]);
    }
  }
  if (!entries.some(([, value]) => value instanceof Blob)) return new URLSearchParams(entries as Array<[string, string]>);
  const data = new FormData();
  for (const [key, value] of entries) data.append(key, value);
  return data;
}

/** The error a body names: Tandem's `{ error: { code, message } }`, or RFC 9457 problem details. */
function apiErrorOf(value: unknown): ApiError | undefined {
  const body = value as { error?: ApiError; code?: unknown; detail?: unknown } | null;
  const error = body?.error;
  if (typeof error?.code === "string" && typeof error.message === "string") return error;
  // An app with errors.format "problem+json": its members (issues too), the message as `detail`.
  if (typeof body?.code === "string" && typeof body.detail === "string") return { ...body, message: body.detail } as ApiError;
  return undefined;
}

async function readResult(response: Response): Promise<ClientResult<unknown>> {
  const type = response.headers.get("content-type") ?? "";
  const empty = response.status === 204 || response.status === 205 || response.status === 304;
  const isJson = /^application\/([\w.-]+\+)?json/i.test(type);
  let payload: unknown;
  let malformed = false;
  if (!empty && isJson) {
    const text = await response.text();
    try {
      payload = JSON.parse(text);
    } catch {
      malformed = true;
    }
  } else if (!empty && type.startsWith("text/")) payload = await response.text();
  if (malformed) {
    const error = { code: "TND_ERR_CLIENT_HTTP", message: `HTTP ${response.status}: the JSON response body is malformed` };
    return { ok: false, status: response.status, data: undefined, error, response };
  }
  if (response.ok) return { ok: true, status: response.status, data: payload, error: undefined, response };
  const error: ApiError = apiErrorOf(payload) ?? {
    code: "TND_ERR_CLIENT_HTTP",
    message: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`,
  };
  return { ok: false, status: response.status, data: undefined, error, response };
}

/**
 * A typed client over fetch. `Routes` is the generated `.tandem/types/routes.d.ts` interface.
 * Network failures and aborts reject (as fetch does); HTTP errors resolve with `ok: false`.
 *
 * ```ts
 * const api = createClient<Routes>("http://localhost:3000");
 * const { data, error } = await api("/api/boards/[id]").GET({ params: { id: "1" } });
 * ```
 */
export function createClient<R>(baseUrl: string | URL, options: ClientOptions = {}): Client<R> {
  const base = String(baseUrl).replace(/\/+$/, "");
  // Wrapped so a browser's fetch is never called with `this` set to the options object.
  const send = options.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init));

  async function call(method: Method, path: string, init: RawInit = {}): Promise<ClientResult<unknown>> {
    const url = base + fillPath(path, init.params) + toQueryString(init.query);
    const headers = new Headers();
    const shared = typeof options.headers === "function" ? await options.headers() : options.headers;
    new Headers(shared).forEach((value, key) => headers.set(key, value));
    for (const [key, value] of Object.entries(init.headers ?? {})) if (value !== undefined) headers.set(key, value);
    let body: BodyInit | undefined;
    if (init.form !== undefined) body = toFormBody(init.form);
    else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers.set("content-type", "application/json");
    }
    if (!headers.has("accept")) headers.set("accept", "application/json");
    const signals = [options.signal, init.signal].filter((signal): signal is AbortSignal => signal !== undefined);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    const requestInit: RequestInit = { method, headers };
    if (body !== undefined) requestInit.body = body;
    if (signal) requestInit.signal = signal;
    if (options.credentials) requestInit.credentials = options.credentials;
    return readResult(await send(url, requestInit));
  }

  const route = (path: string) => ({
    GET: (init?: RawInit) => call("GET", path, init),
    POST: (init?: RawInit) => call("POST", path, init),
    PUT: (init?: RawInit) => call("PUT", path, init),
    PATCH: (init?: RawInit) => call("PATCH", path, init),
    DELETE: (init?: RawInit) => call("DELETE", path, init),
  });
  return route as unknown as Client<R>;
}
