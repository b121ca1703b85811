import { TopicHub } from "./hub.js";
import { redisBroker } from "./redis-broker.js";

/**
 * The hub behind the importable `publish` and `sse`: the most recently created realtime server
 * that is still open, or else (a job worker, a script) a hub of our own that publishes through
 * REDIS_URL when it is set and only in-process when not.
 */
const servers: TopicHub[] = [];
let standalone: TopicHub | undefined;

export function registerHub(hub: TopicHub): () => void {
  servers.push(hub);
  return () => {
    const index = servers.indexOf(hub);
    if (index >= 0) servers.splice(index, 1);
  };
}

export function defaultHub(): TopicHub {
  const server = servers.at(-1);
  if (server) return server;
  if (!standalone) {
    const url = process.env.REDIS_URL;
    standalone = new TopicHub(url ? { broker: redisBroker({ url }) } : {});
  }
  return standalone;
}

/** Closes the standalone hub's Redis connections so a script can exit. */
export async function closeDefaultHub(): Promise<void> {
  const hub = standalone;
  standalone = undefined;
  await hub?.close();
}
