import { currentScope, type AppScope } from "../app/scope.js";
import { TopicHub, type HubLogger } from "./hub.js";
import { redisBroker } from "./redis-broker.js";

const HUB = Symbol.for("tandem.hub");

export interface AppHubOptions {
  /** Fan out through Redis. Default process.env.REDIS_URL; "" forces in-process. */
  redisUrl?: string;
  logger?: HubLogger;
}

function createHub(options: AppHubOptions): TopicHub {
  const url = options.redisUrl ?? process.env.REDIS_URL ?? "";
  const logger = options.logger;
  return new TopicHub({ ...(logger ? { logger } : {}), ...(url ? { broker: redisBroker({ url, ...(logger ? { logger } : {}) }) } : {}) });
}

/** The app's pub/sub hub, made on first use and closed with the app (its scope). */
export function appHub(scope: AppScope, options: AppHubOptions = {}): TopicHub {
  return scope.use(
    HUB,
    () => createHub(options),
    (hub) => hub.close(),
  );
}

let standalone: TopicHub | undefined;

/**
 * The hub behind the importable `publish` and `sse`: that of the app whose request, socket event
 * or job is running; outside any app (a script), one of the process's own, through REDIS_URL
 * when it is set (decision 0009).
 */
export function currentHub(): TopicHub {
  const scope = currentScope();
  if (scope) return appHub(scope);
  return (standalone ??= createHub({}));
}

/** Closes the hub of code that runs outside any app (its Redis connections), so a script can exit. */
export async function closeDefaultHub(): Promise<void> {
  const hub = standalone;
  standalone = undefined;
  await hub?.close();
}
