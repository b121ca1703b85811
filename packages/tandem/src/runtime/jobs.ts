import type { Mount } from "../app/create-app.js";
import { getJobsDriver } from "../jobs/config.js";
import { closeJobs, configureJobs, registerJobs, setJobEventPublisher, startWorker } from "../jobs/index.js";
import type { JobDefinition, JobEvent, RunningWorker } from "../jobs/types.js";

export interface JobsRuntime {
  mount: Mount | undefined;
  update(jobs: Record<string, unknown>): void;
  /** For readiness: resolves when the job store answers a query; undefined when the app has no jobs. */
  check: (() => Promise<void>) | undefined;
  close(): Promise<void>;
}

/**
 * Jobs found in jobs/ are registered under their file names. Workers start only where the role
 * runs them and only if the app has jobs, so an app without jobs never creates a database file.
 * Enqueueing from a web-only process works all the same (it writes to the shared store).
 */
export async function startJobs(options: {
  jobs: Record<string, unknown>;
  dataDir: string;
  worker: boolean;
  /** undefined: off. A function: on, asked for every request. */
  dashboard: ((request: Request) => boolean | Promise<boolean>) | undefined;
  publish: (topic: string, event: JobEvent) => void;
}): Promise<JobsRuntime> {
  const defs = options.jobs as Record<string, JobDefinition>;
  const hasJobs = Object.keys(defs).length > 0;
  configureJobs({ dataDir: options.dataDir });
  setJobEventPublisher(options.publish);
  registerJobs(defs);
  let worker: RunningWorker | undefined;
  if (options.worker && hasJobs) worker = await startWorker({});
  let mount: Mount | undefined;
  if (options.dashboard !== undefined && hasJobs) {
    const { createJobsDashboard } = await import("../jobs/dashboard/handler.js");
    const handle = createJobsDashboard({ basePath: "/_tandem/jobs", enabled: true, authorize: options.dashboard });
    mount = { prefix: "/_tandem/jobs", handle: async (request) => handle(request) };
  }
  return {
    mount,
    update(jobs) {
      registerJobs(jobs as Record<string, JobDefinition>);
    },
    check: hasJobs
      ? async () => {
          await (await getJobsDriver()).counts();
        }
      : undefined,
    async close() {
      await worker?.close();
      setJobEventPublisher(null);
      if (hasJobs) await closeJobs();
    },
  };
}
