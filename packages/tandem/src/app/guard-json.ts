import { parseJson } from "../server/json.js";
import { isNodeRequest } from "../server/request.js";

/**
 * Requests from Tandem's node server already parse JSON safely (proto poisoning, depth). A plain
 * Request handed to `app.fetch` in memory (tests, serverless adapters) gets the same `json()`
 * as an own property, so a handler behaves the same wherever the app runs.
 */
export function guardJson(request: Request): Request {
  // The server's own requests first: the usual case, and the cheapest check.
  if (isNodeRequest(request) || Object.getPrototypeOf(request) !== Request.prototype) return request;
  Object.defineProperty(request, "json", {
    value: async () => parseJson(await request.text()),
    configurable: true,
    writable: true,
  });
  return request;
}
