import { TandemError } from "../errors/http-error.js";

/**
 * A status (and headers) for data a validated handler returns. A class rather than a Response so
 * the data stays typed for the client and still goes through the response schema.
 */
export class Reply<T> {
  readonly data: T;
  readonly status: number;
  readonly headers: Headers;

  constructor(data: T, status: number, headers: Headers) {
    this.data = data;
    this.status = status;
    this.headers = headers;
  }
}

export interface ReplyInit {
  status?: number;
  headers?: HeadersInit;
}

/** `return reply(card, { status: 201, headers: { location } })` from a defineHandler handler. */
export function reply<T>(data: T, init: ReplyInit = {}): Reply<T> {
  const status = init.status ?? 200;
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new TandemError("TND_ERR_API_BAD_SPEC", `reply(): status must be an integer from 200 to 599, got ${String(status)}`);
  }
  return new Reply(data, status, new Headers(init.headers));
}
