import { sourceMentions } from "./source-mentions.js";

/**
 * Whether the app's code reaches its runtime's scope: `publish`, sockets and SSE (tandem/realtime)
 * or jobs (tandem/jobs) find their app's hub and store through it (decision 0009), and after()
 * from next/server finds its request's tasks there. Only then
 * does `tandem start` enter the scope for every request: an AsyncLocalStorage, which on Node 20
 * slows every promise in the process. Read when the server entry is generated; `tandem dev`
 * enters the scope always, so an import added while it runs needs no restart.
 */
// `import { after } from "next/server"` (or tandem/next-server), with other names, across lines.
const IMPORTS_AFTER = /import\s*(?:type\s+)?\{[^}]*\bafter\b[^}]*\}\s*from\s*["'](?:next|tandem\/next)[/-]server["']/;

export async function usesAppScope(root: string): Promise<boolean> {
  return sourceMentions(root, ["tandem/realtime", "tandem/jobs", IMPORTS_AFTER]);
}
