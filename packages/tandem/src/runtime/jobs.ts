import type { Mount } from "../app/create-app.js";
import { AppScope } from "../app/scope.js";
import type { JobsConfig } from "../jobs/config.js";
import { JOBS, JobsContext } from "../jobs/context.js";
import { appHub } from "../realtime/app-hub.js";
import type { RunningWorker } from "../jobs/types.js";

export interface JobsRuntime {
  readonly context: JobsContext;
  mount: Mount | undefined;
  update(jobs: Record<string, unknown>): void;
  /** For readiness: resolves when the job store answers a query; undefined when the app has no jobs. */
  check: (() => Promise<void>) | undefined;
  close(): Promise<void>;
}

/**
 * The app's jobs context (its store, its registered jobs, where its events go), kept in its
 * scope. Jobs found in jobs/ are registered under their file names. Workers start only where the
 * role runs them and only if the app has jobs, so an app without jobs never creates a database
 * file. Enqueueing from a web-only process works all the same (it writes to the shared store).
 */
export async function startJobs(options: {
  scope: AppScope;
  context: JobsContext;
  jobs: Record<string, unknown>;
  worker: boolean;
  /** undefined: off. A function: on, asked for every request. */
  dashboard: ((request: Request) => boolean | Promise<boolean>) | undefined;
  logger?: Pick<Console, "info">;
}): Promise<JobsRuntime> {
  const { scope, context } = options;
  const hasJobs = Object.keys(options.jobs).length > 0;
  context.register(options.jobs);
  let worker: RunningWorker | undefined;
  if (options.worker && hasJobs) {
    // Loaded only here: the worker brings croner and a driver, which an app without jobs never needs.
    const { startWorker } = await import("../jobs/worker.js");
    worker = await scope.run(() => startWorker({}, context));
  }
  let mount: Mount | undefined;
  if (options.dashboard !== undefined && hasJobs) {
    const { createJobsDashboard } = await import("../jobs/dashboard/handler.js");
    const handle = createJobsDashboard({
      basePath: "/_tandem/jobs",
      enabled: true,
      authorize: options.dashboard,
      jobs: context,
      logger: context.logger,
    });
    mount = { prefix: "/_tandem/jobs", handle: async (request) => handle(request) };
  } else if (hasJobs) {
    // Off in production unless asked for: the first visit hears why it got a 404, once.
    let told = false;
    mount = {
      prefix: "/_tandem/jobs",
      handle: async () => {
        if (!told) {
          told = true;
          (options.logger ?? console).info(
            "[tandem] /_tandem/jobs: the jobs dashboard is off in production; set jobs: { dashboard: true } in tandem.config.ts (behind your middleware) to serve it",
          );
        }
        return undefined;
      },
    };
  }
  return {
    context,
    mount,
    update(jobs) {
      context.register(jobs);
    },
    check: hasJobs
      ? async () => {
          await (await context.driver()).counts();
        }
      : undefined,
    async close() {
      // The driver closes with the scope, after the worker has handed back its jobs.
      await worker?.close();
    },
  };
}

/**
 * A scope with the app's jobs, its events published on the app's hub (through REDIS_URL when set).
 * createRuntime and the `tandem worker`/`tandem jobs` commands make theirs here.
 */
export function createJobsScope(
  config: JobsConfig,
  logger: Pick<Console, "error" | "warn" | "info">,
): { scope: AppScope; context: JobsContext } {
  const scope = new AppScope(logger);
  const hub = () => appHub(scope, { logger });
  scope.define(
    JOBS,
    () =>
      new JobsContext(config, {
        scope,
        logger,
        // Job progress reaches the app's subscribers (and, with Redis, every instance's).
        publish: (topic, event) =>
          void hub()
            .publish(topic, event)
            .catch((e) => logger.error("[tandem] job event publish failed:", e)),
      }),
    (jobs) => jobs.close(),
  );
  return { scope, context: scope.use(JOBS, () => new JobsContext(config)) };
}
