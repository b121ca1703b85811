import { createRequire } from "node:module";
import type { Redis as RedisClient } from "ioredis";
import { requirePackages } from "../optional/require-package.js";
import type { Broker, HubLogger, TopicHub } from "./hub.js";

export interface RedisBrokerOptions {
  url: string;
  /** Channel prefix, so several apps can share one Redis. Default "tandem:rt:". */
  prefix?: string;
  logger?: HubLogger;
}

/**
 * Fan-out through Redis pub/sub: one connection publishes, one subscribes to the channels of
 * topics that have local subscribers. Redis pub/sub keeps nothing, so delivery is at-most-once:
 * a message published while an instance is disconnected from Redis never reaches it.
 * Message layout: "<origin hub id> <excluded peer id or -> <frame>".
 */
export function redisBroker(options: RedisBrokerOptions): (hub: TopicHub) => Broker {
  return (hub) => {
    const prefix = options.prefix ?? "tandem:rt:";
    const logger = options.logger ?? console;
    // Commands fail fast while Redis is down instead of piling up in memory (at-most-once anyway).
    const redisOptions = { maxRetriesPerRequest: 1 };
    // Loaded on first use: an app that never sets REDIS_URL never pays for ioredis at startup.
    requirePackages(["ioredis"], "Realtime fan-out through Redis (REDIS_URL is set)");
    const { Redis } = createRequire(import.meta.url)("ioredis") as { Redis: typeof RedisClient };
    const pub = new Redis(options.url, redisOptions);
    // We resubscribe ourselves on every 'ready': SUBSCRIBE sent while ioredis is still connecting
    // was seen to be lost on a reconnect, leaving an instance deaf to a topic.
    const sub = new Redis(options.url, { ...redisOptions, autoResubscribe: false });
    const channels = new Set<string>();
    let lastError = "";
    const log = (what: string) => (error: Error) => logger.error(`[tandem] realtime: Redis ${what} failed: ${error.message}`);
    const onError = (error: Error) => {
      // ioredis reconnects by itself; log each distinct failure once instead of every retry.
      if (error.message === lastError) return;
      lastError = error.message;
      logger.error(`[tandem] realtime: Redis ${options.url.replace(/\/\/[^@/]*@/, "//***@")}: ${error.message}`);
    };
    pub.on("error", onError);
    sub.on("error", onError);
    sub.on("ready", () => {
      lastError = "";
      if (channels.size > 0) sub.subscribe(...channels).catch(log("SUBSCRIBE"));
    });
    sub.on("message", (channel: string, message: string) => {
      if (!channel.startsWith(prefix)) return;
      const first = message.indexOf(" ");
      const second = message.indexOf(" ", first + 1);
      if (first < 0 || second < 0) return;
      if (message.slice(0, first) === hub.id) return;
      const except = message.slice(first + 1, second);
      hub.receive(channel.slice(prefix.length), message.slice(second + 1), except === "-" ? undefined : except);
    });
    return {
      listen(topic) {
        channels.add(prefix + topic);
        if (sub.status === "ready") sub.subscribe(prefix + topic).catch(log(`SUBSCRIBE ${topic}`));
      },
      unlisten(topic) {
        channels.delete(prefix + topic);
        if (sub.status === "ready") sub.unsubscribe(prefix + topic).catch(log(`UNSUBSCRIBE ${topic}`));
      },
      async send(topic, frame, exceptId) {
        await pub.publish(prefix + topic, `${hub.id} ${exceptId ?? "-"} ${frame}`);
      },
      async close() {
        await Promise.allSettled([pub.quit(), sub.quit()]);
        pub.disconnect();
        sub.disconnect();
      },
    };
  };
}
