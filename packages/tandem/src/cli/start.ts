import { loadServerBuild } from "../app/server-build.js";
import { validateConfig } from "../config.js";
import { createLogger } from "../logger/create-logger.js";
import { createRuntime, type Role, type Runtime } from "../runtime/create-runtime.js";
import { loadInstrumentation } from "../runtime/instrumentation.js";
import { serve } from "../server/serve.js";
import { parseCommon, usageError } from "./args.js";
import { shutdownSignal } from "./signals.js";

const ROLES = new Set<Role>(["all", "web", "worker"]);

/** `tandem start`: a production build, no Vite; web and workers in one process unless --role says otherwise. */
export async function run(argv: string[]): Promise<number> {
  // As `next start` does: React and libraries pick their production builds (faster, and no
  // development-only debug data such as function source in RSC payloads).
  process.env.NODE_ENV ??= "production";
  const args = parseCommon("start", argv);
  const role = (args.values.role ?? "all") as Role;
  if (!ROLES.has(role)) throw usageError("start", `--role must be all, web or worker, got "${role}"`);
  if (role === "worker") return runWorkerOnly(args.root);
  // The app's instrumentation.ts registers its SDK before any module of the app loads (Next.js's
  // order); its onRequestError failures go to the logger made once the config is read.
  let logger: ReturnType<typeof createLogger> | undefined;
  await loadInstrumentation(args.root, { dev: false, logger: { error: (...parts) => (logger ?? console).error(...parts) } });
  const build = await loadServerBuild(args.root);
  const logging = validateConfig(build.config ?? {}).logging;
  // JSON lines, one logger for the server and every feature.
  logger = createLogger(logging?.level === undefined ? {} : { level: logging.level });
  const runtime = await createRuntime({ root: args.root, build, dev: false, role, logger });
  const server = runtime.config.server ?? {};
  const running = await serve({
    ...server,
    logger,
    accessLog: logging?.accessLog ?? false,
    fetch: runtime.fetch,
    ...runtime.serve,
    port: args.port ?? server.port ?? 3000,
    host: args.host ?? server.host ?? "0.0.0.0",
    handleSignals: true,
  });
  process.stdout.write(`tandem start: listening on ${running.url}\n`);
  return 0;
}

/** `--role worker`: jobs only, no HTTP listener; SIGTERM/SIGINT release running jobs and exit 0. */
async function runWorkerOnly(root: string): Promise<number> {
  // Listening before the app loads, as `tandem worker` does: a SIGTERM while it loads must be a clean stop.
  const shutdown = shutdownSignal();
  let runtime: Runtime;
  let jobCount: number;
  try {
    await loadInstrumentation(root, { dev: false });
    const build = await loadServerBuild(root);
    jobCount = Object.keys(build.jobs).length;
    const early = await shutdown.arrived();
    if (early) {
      process.stdout.write(`tandem start: ${early} while starting, exiting before taking any job\n`);
      process.exit(0);
    }
    runtime = await createRuntime({ root, build, dev: false, role: "worker" });
  } catch (error) {
    shutdown.dispose();
    throw error;
  }
  process.stdout.write(`tandem start: worker running ${jobCount} job type${jobCount === 1 ? "" : "s"}\n`);
  void shutdown.received
    .then(() => runtime.close())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`tandem start: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  return 0;
}
