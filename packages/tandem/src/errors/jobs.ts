import { defineErrors } from "./define.js";

export const jobsErrors = defineErrors({
  TND_ERR_JOB_INVALID_PAYLOAD: {
    status: 400,
    description: "A job was enqueued with a payload its schema rejects; the response lists the schema's issues.",
  },
  TND_ERR_JOB_UNNAMED: {
    status: 500,
    description: "A job without an explicit name was used before its app registered it under its file name in jobs/.",
  },
  TND_ERR_JOB_UNKNOWN: {
    status: 404,
    description: "No job definition or job record exists with the given name or id.",
  },
  TND_ERR_JOB_BAD_DEFINITION: {
    status: 500,
    description: "defineJob() got an invalid option (run, retries, timeout, concurrency, priority, schedule) or two jobs share a name.",
  },
  TND_ERR_JOB_BAD_OPTIONS: {
    status: 400,
    description: "enqueue() got an invalid option (delay, runAt, key or priority).",
  },
  TND_ERR_JOB_PAYLOAD_TOO_LARGE: {
    status: 413,
    description: "The JSON-serialized payload is larger than the jobs payload limit (1 MiB by default).",
  },
  TND_ERR_JOB_TIMEOUT: {
    status: 500,
    description: "A job attempt ran longer than its timeout; its signal was aborted and the attempt counts as failed.",
  },
  TND_ERR_JOB_CANCELLED: {
    status: 500,
    description: "A running job was cancelled; its signal was aborted and it will not be retried.",
  },
  TND_ERR_JOB_SHUTDOWN: {
    status: 503,
    description:
      "The worker shut down while the job ran past the close deadline; its signal was aborted and the job was released to another worker.",
  },
  TND_ERR_JOB_STALLED: {
    status: 500,
    description: "A job's lease expired more times than allowed (its worker kept dying mid-job), so it was marked failed.",
  },
  TND_ERR_JOBS_REDIS_EVICTION: {
    status: 500,
    description: "The Redis server's maxmemory-policy is not noeviction, so it could silently drop queued jobs; set it to noeviction.",
  },
  TND_ERR_JOBS_CONFIG: {
    status: 500,
    description: "The jobs settings (tandem.config.ts jobs) or a startWorker() option are invalid.",
  },
  TND_ERR_JOBS_DASHBOARD_UNPROTECTED: {
    status: 500,
    description: "The jobs dashboard was enabled in production without an authorize function; pass one (it may defer to your middleware).",
  },
  TND_ERR_JOBS_FORBIDDEN: {
    status: 403,
    description: "A jobs dashboard request was refused: cross-origin write, or the authorize function said no.",
  },
});
