import { TandemError } from "../errors/tandem-error.js";
import { parseArgs } from "node:util";
import type { JobsConfig } from "../jobs/config.js";
import type { JobDefinition } from "../jobs/types.js";
import { shutdownSignal, type ShutdownSignal } from "./signals.js";

export interface JobsCliContext {
  root: string;
  /** The app's jobs settings (tandem.config.ts `jobs`, with the data folder resolved). */
  jobs: JobsConfig;
  loadBuild: () => Promise<{ jobs: Record<string, JobDefinition> }>;
  /** Listening since the command began; `tandem worker` passes it, callers in-process may not. */
  shutdown?: ShutdownSignal;
}

const USAGE = "usage: tandem worker [--concurrency <n>] [--shutdown-timeout <ms>]";

function integer(value: string | boolean | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== "string" || !Number.isInteger(n) || n < 0)
    throw new TandemError("TND_ERR_CLI_USAGE", `${what} must be a non-negative integer, got ${String(value)}`);
  return n;
}

/**
 * `tandem worker`: runs the app's jobs and nothing else until SIGTERM/SIGINT, then stops taking
 * jobs, lets running ones finish up to --shutdown-timeout (default 20 s) and releases the rest.
 */
export async function run(argv: string[], ctx: JobsCliContext): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: false,
    allowPositionals: true,
    options: { concurrency: { type: "string" }, "shutdown-timeout": { type: "string" }, help: { type: "boolean" } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  let concurrency: number;
  let deadline: number;
  try {
    concurrency = integer(values.concurrency, 10, "--concurrency");
    deadline = integer(values["shutdown-timeout"], 20_000, "--shutdown-timeout");
    if (concurrency < 1) throw new TandemError("TND_ERR_CLI_USAGE", "--concurrency must be at least 1");
  } catch (error) {
    console.error(`tandem worker: ${(error as Error).message}; see tandem worker --help`);
    return 2;
  }
  const shutdown = ctx.shutdown ?? shutdownSignal();
  try {
    const [{ createJobsScope }, { startWorker }] = await Promise.all([import("../runtime/jobs.js"), import("../jobs/worker.js")]);
    const { jobs } = await ctx.loadBuild();
    const names = Object.keys(jobs);
    if (names.length === 0) {
      console.error("tandem worker: the app has no jobs (add jobs/<name>.ts files that default-export defineJob()).");
      return 1;
    }
    // Stopped while the app loaded: taking jobs now would only mean handing them back.
    const early = await shutdown.arrived();
    if (early) {
      console.log(`tandem worker: ${early} while starting, exiting before taking any job`);
      return 0;
    }
    const { scope, context } = createJobsScope(ctx.jobs, console);
    context.register(jobs);
    const worker = await scope.run(() => startWorker({ concurrency }, context));
    console.log(`tandem worker: running ${names.length} job(s) (${names.join(", ")}) with concurrency ${concurrency}`);
    const signal = await shutdown.received;
    console.log(`tandem worker: ${signal}, finishing running jobs (up to ${deadline} ms)`);
    await worker.close(deadline);
    await scope.close();
    return 0;
  } finally {
    if (!ctx.shutdown) shutdown.dispose();
  }
}
