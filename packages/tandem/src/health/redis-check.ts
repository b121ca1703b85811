import { createRequire } from "node:module";
import type { Redis as RedisClient } from "ioredis";
import { requirePackages } from "../optional/require-package.js";
import type { ReadinessCheck } from "./health.js";

/**
 * PING on a connection of its own, made on the first probe. No offline queue: while Redis is
 * down the command fails at once instead of waiting for a reconnect.
 */
export function redisCheck(url: string): { check: ReadinessCheck; close(): Promise<void> } {
  let client: RedisClient | undefined;
  return {
    async check() {
      if (client === undefined) {
        requirePackages(["ioredis"], "The Redis readiness check (REDIS_URL is set)");
        const { Redis } = createRequire(import.meta.url)("ioredis") as { Redis: typeof RedisClient };
        client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
        // Failures surface through PING; ioredis reconnects by itself.
        client.on("error", () => {});
        await client.connect().catch(() => {});
      }
      await client.ping();
    },
    async close() {
      client?.disconnect();
    },
  };
}
