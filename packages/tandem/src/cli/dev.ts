import { createDevServer } from "../build/dev-server.js";
import { serve } from "../server/serve.js";
import { parseCommon } from "./args.js";
import { requireAppDir } from "./project.js";

export async function run(argv: string[]): Promise<number> {
  const args = parseCommon(argv);
  requireAppDir(args.root);
  const dev = await createDevServer({ root: args.root });
  const running = await serve({
    fetch: dev.fetch,
    onUpgrade: dev.onUpgrade,
    port: args.port ?? 3000,
    host: args.host ?? "localhost",
    handleSignals: true,
    onShutdown: [() => dev.close()],
  });
  process.stdout.write(`tandem dev: listening on ${running.url}\n`);
  return 0;
}
