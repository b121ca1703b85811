import { createDevServer } from "../build/dev-server.js";
import { serve } from "../server/serve.js";
import { parseCommon } from "./args.js";
import { requireAppDir } from "./project.js";

export async function run(argv: string[]): Promise<number> {
  process.env.NODE_ENV ??= "development";
  const args = parseCommon(argv);
  requireAppDir(args.root);
  const host = args.host ?? "localhost";
  const dev = await createDevServer({ root: args.root, host });
  const running = await serve({
    fetch: dev.fetch,
    onUpgrade: dev.onUpgrade,
    ...(dev.nodeMiddleware ? { nodeMiddleware: dev.nodeMiddleware } : {}),
    port: args.port ?? 3000,
    host,
    handleSignals: true,
    onShutdown: [() => dev.close()],
  });
  process.stdout.write(`tandem dev: listening on ${running.url}\n`);
  return 0;
}
