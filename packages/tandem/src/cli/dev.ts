import { createDevServer } from "../build/dev-server.js";
import { serve } from "../server/serve.js";
import { parseCommon } from "./args.js";
import { requireAppDir } from "./project.js";

export async function run(argv: string[]): Promise<number> {
  process.env.NODE_ENV ??= "development";
  const args = parseCommon("dev", argv);
  requireAppDir(args.root);
  const host = args.host ?? "localhost";
  const dev = await createDevServer({ root: args.root, host });
  let running: Awaited<ReturnType<typeof serve>>;
  try {
    running = await serve({
      fetch: dev.fetch,
      onUpgrade: dev.onUpgrade,
      ...(dev.nodeMiddleware ? { nodeMiddleware: dev.nodeMiddleware } : {}),
      port: args.port ?? 3000,
      host,
      handleSignals: true,
      onShutdown: [() => dev.close()],
    });
  } catch (error) {
    // Vite's watcher and HMR socket would keep the process alive after a failed listen (a port in
    // use): close them so the command exits with its error, as `tandem start` does.
    await dev.close();
    throw error;
  }
  process.stdout.write(`tandem dev: listening on ${running.url}\n`);
  return 0;
}
