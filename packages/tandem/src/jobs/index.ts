export { defineJob } from "./define.js";
export { closeJobs, type JobEventPublisher } from "./context.js";
export type { JobsConfig } from "./config.js";
export { startWorker } from "./worker.js";
export type {
  EnqueueOptions,
  JobDefinition,
  JobEvent,
  JobOptions,
  JobRecord,
  JobState,
  RetryOptions,
  RunContext,
  RunningWorker,
  WorkerOptions,
} from "./types.js";
export { createJobsDashboard, type JobsDashboardOptions } from "./dashboard/handler.js";
