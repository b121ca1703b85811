import { TandemError } from "../errors/http-error.js";
import type { ResolvedJob } from "./types.js";

export interface Schedule {
  job: ResolvedJob;
  pattern: string;
  timezone: string | undefined;
  payload: unknown;
}

/** The scheduled jobs among `jobs`, with their payload validated once, at worker start. */
export async function schedulesOf(jobs: ResolvedJob[]): Promise<Schedule[]> {
  const schedules: Schedule[] = [];
  for (const job of jobs) {
    const { schedule, schedulePayload, timezone, schema } = job.definition.options;
    if (!schedule) continue;
    let payload: unknown = schedulePayload ?? {};
    if (schema) {
      const result = await schema["~standard"].validate(payload);
      if (result.issues) {
        throw new TandemError(
          "TND_ERR_JOB_BAD_DEFINITION",
          `Job "${job.name}": schedulePayload fails its schema: ${result.issues[0]?.message}`,
        );
      }
      payload = result.value;
    }
    schedules.push({ job, pattern: schedule, timezone, payload: JSON.parse(JSON.stringify(payload ?? null)) });
  }
  return schedules;
}
