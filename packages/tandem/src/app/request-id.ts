import { bodySourceOf } from "../compat/next-request.js";
import { messageRequestId, REQUEST_ID } from "../server/request-id.js";
import { serverRequestId } from "../server/request.js";

/**
 * The id of the request being handled: the same one the access log prints, a 500 answer carries
 * in `x-request-id`, and a trusted proxy sent in X-Request-Id (with `server.trustProxy`).
 * Log it with your own lines to find them beside Tandem's.
 * @example
 * export async function POST(request: Request) {
 *   console.log(`[${requestId(request)}] importing`);
 * }
 */
export function requestId(request: Request): string {
  // A route handler's NextRequest wraps the server's request: both answer the same id.
  const source = bodySourceOf(request);
  const id = serverRequestId(source) ?? (source as { [REQUEST_ID]?: unknown })[REQUEST_ID];
  return typeof id === "string" ? id : messageRequestId(source, false);
}
