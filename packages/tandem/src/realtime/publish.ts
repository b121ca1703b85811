import { currentHub } from "./app-hub.js";

/**
 * Publishes `data` (JSON-safe) to every subscriber of `topic`: WebSocket peers and SSE streams,
 * on every instance when Redis is configured. Importable from anywhere (route handler, server
 * action, job). At-most-once: subscribers that are not connected at this moment miss it.
 */
export function publish(topic: string, data: unknown): Promise<void> {
  return currentHub().publish(topic, data);
}
