import { sourceMentions } from "./source-mentions.js";

/**
 * Whether the app's code reaches its runtime's scope: `publish`, sockets and SSE (tandem/realtime)
 * or jobs (tandem/jobs) find their app's hub and store through it (decision 0009). Only then
 * does `tandem start` enter the scope for every request: an AsyncLocalStorage, which on Node 20
 * slows every promise in the process. Read when the server entry is generated; `tandem dev`
 * enters the scope always, so an import added while it runs needs no restart.
 */
export async function usesAppScope(root: string): Promise<boolean> {
  return sourceMentions(root, ["tandem/realtime", "tandem/jobs"]);
}
