import { requestId as idOf } from "../app/request-id.js";
import { currentRequestId } from "../app/scope.js";
import { TandemError } from "../errors/http-error.js";
import { contextRequest } from "./request-context.js";

/**
 * The id of a request: the same one the access log prints, a 500 answer carries in
 * `x-request-id`, and a trusted proxy sent in X-Request-Id (with `server.trustProxy`).
 * Without an argument, the id of what is running: the request of a Server Action, Server
 * Component or route handler, the upgrade request of a socket handler, the request that
 * enqueued a job. Log it with your own lines to find them beside Tandem's.
 * @example
 * export async function POST(request: Request) {
 *   console.log(`[${requestId(request)}] importing`);
 * }
 * @example
 * "use server";
 * export async function save(form: FormData) {
 *   console.log(`[${requestId()}] saving`);
 * }
 */
/** The id of what is running, or undefined outside any request, socket handler or job: for log lines. */
export function runningRequestId(): string | undefined {
  const current = contextRequest();
  return current !== undefined ? idOf(current) : currentRequestId();
}

export function requestId(request?: Request): string {
  if (request !== undefined) return idOf(request);
  const current = contextRequest();
  if (current !== undefined) return idOf(current);
  const ambient = currentRequestId();
  if (ambient !== undefined) return ambient;
  throw new TandemError(
    "TND_ERR_NO_REQUEST_ID",
    "requestId() without a request was called outside a request, a socket handler or a job that a request enqueued; pass the request: requestId(request).",
  );
}
