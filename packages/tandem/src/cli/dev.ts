import { createDevServer } from "../build/dev-server.js";
import { createLogger } from "../logger/create-logger.js";
import { serve } from "../server/serve.js";
import type { CompressionOptions } from "../compression/compressor.js";
import type { TandemConfig } from "../config.js";
import type { ErrorFormat } from "../errors/error-fields.js";
import { parseCommon } from "./args.js";
import { requireAppDir } from "./project.js";

export async function run(argv: string[]): Promise<number> {
  process.env.NODE_ENV ??= "development";
  const args = parseCommon("dev", argv);
  requireAppDir(args.root);
  const host = args.host ?? "localhost";
  const dev = await createDevServer({ root: args.root, host });
  // The server's settings (limits, timeouts, trustProxy) and logging, as `tandem start` applies
  // them; read once, before listening: a change takes a restart, as with next.config.js. Not
  // server.host: dev listens on localhost unless --host says otherwise, whatever production binds.
  let config: TandemConfig;
  try {
    config = await dev.config();
  } catch (error) {
    await dev.close();
    throw error;
  }
  const { host: _productionHost, port: configPort, ...server } = config.server ?? {};
  const logging = config.logging;
  // Compression follows the app's tandem.config.ts, which loads with the app (on the first request)
  // and reloads with it: each response reads the settings of the runtime that answered it.
  let compression: boolean | CompressionOptions = true;
  let errorFormat: ErrorFormat = "json";
  const fetch = async (request: Request): Promise<Response> => {
    const response = await dev.fetch(request);
    [compression, errorFormat] = await dev.runtime().then(
      (runtime) => [runtime.serve.compression, runtime.serve.errorFormat] as const,
      () => [true, "json"] as const,
    );
    return response;
  };
  let running: Awaited<ReturnType<typeof serve>>;
  try {
    running = await serve({
      ...server,
      fetch,
      // Readable lines; LOG_LEVEL wins over logging.level.
      logger: createLogger({ pretty: true, ...(logging?.level === undefined ? {} : { level: logging.level }) }),
      accessLog: logging?.accessLog ?? false,
      compression: () => compression,
      errorFormat: () => errorFormat,
      onUpgrade: dev.onUpgrade,
      ...(dev.nodeMiddleware ? { nodeMiddleware: dev.nodeMiddleware } : {}),
      port: args.port ?? configPort ?? 3000,
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
