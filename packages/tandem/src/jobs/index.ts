export { defineJob } from "./define.js";
export { registerJobs } from "./registry.js";
export { configureJobs, closeJobs, type JobsConfig } from "./config.js";
export { startWorker } from "./worker.js";
export { setJobEventPublisher, type JobEventPublisher } from "./events.js";
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
