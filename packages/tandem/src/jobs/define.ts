import type { StandardSchemaV1 } from "@standard-schema/spec";
import { HttpError, TandemError } from "../errors/http-error.js";
import { currentJobs, declareJob, nameOf } from "./context.js";
import { currentRequestId } from "../app/scope.js";
import type { EnqueueOptions, JobDefinition, JobInput, JobOptions, JobRecord } from "./types.js";
import { checkDefinition, checkEnqueueOptions, resolveJob } from "./validate.js";

async function validatePayload(schema: StandardSchemaV1 | undefined, payload: unknown, name: string): Promise<unknown> {
  if (!schema) return payload;
  const result = await schema["~standard"].validate(payload);
  if (result.issues) {
    const issues = result.issues.map((issue) => ({
      message: issue.message,
      path: issue.path?.map((segment) => (typeof segment === "object" ? segment.key : segment)),
    }));
    throw new HttpError("TND_ERR_JOB_INVALID_PAYLOAD", `Invalid payload for job "${name}": ${issues[0]?.message ?? "rejected"}.`, {
      details: { issues },
    });
  }
  return result.value;
}

function serialize(payload: unknown, name: string, limit: number): unknown {
  let json: string | undefined;
  try {
    json = JSON.stringify(payload);
  } catch (error) {
    throw new HttpError("TND_ERR_JOB_INVALID_PAYLOAD", `Payload for job "${name}" is not JSON-serializable: ${(error as Error).message}`);
  }
  if (json === undefined) return null;
  if (Buffer.byteLength(json) > limit) {
    throw new HttpError(
      "TND_ERR_JOB_PAYLOAD_TOO_LARGE",
      `Payload for job "${name}" is ${Buffer.byteLength(json)} bytes; the limit is ${limit}.`,
    );
  }
  // What the job receives is what JSON keeps (Dates become strings), same as after a restart.
  return JSON.parse(json);
}

class Job<S extends StandardSchemaV1 | undefined, R> implements JobDefinition<S, R> {
  readonly kind = "tandem.job" as const;
  readonly options: JobOptions<S, R>;

  constructor(options: JobOptions<S, R>) {
    checkDefinition(options as JobOptions<never, unknown>);
    this.options = options;
    if (options.name !== undefined) declareJob(options.name, this as JobDefinition);
  }

  get name(): string | undefined {
    return nameOf(this as JobDefinition);
  }

  #requireName(): string {
    const name = this.name;
    if (name === undefined) {
      throw new TandemError(
        "TND_ERR_JOB_UNNAMED",
        "This job has no name yet: put it in jobs/<name>.ts (the app names it at startup) or pass defineJob({ name }).",
      );
    }
    return name;
  }

  async enqueue(payload: JobInput<S>, options: EnqueueOptions = {}): Promise<{ id: string }> {
    const name = this.#requireName();
    const jobs = currentJobs();
    const when = checkEnqueueOptions(options, Date.now());
    const value = serialize(await validatePayload(this.options.schema, payload, name), name, jobs.config.payloadLimit);
    const resolved = resolveJob(name, this as JobDefinition);
    const driver = await jobs.driver();
    const { id } = await driver.enqueue({
      name,
      payload: value,
      runAt: when.runAt,
      key: when.key,
      priority: when.priority ?? resolved.priority,
      maxAttempts: resolved.attempts,
      requestId: currentRequestId(),
    });
    return { id };
  }

  async get(id: string): Promise<JobRecord<R> | null> {
    const name = this.#requireName();
    const record = await (await currentJobs().driver()).get(id, name);
    return record && record.name === name ? (record as JobRecord<R>) : null;
  }

  async cancel(id: string): Promise<boolean> {
    return (await currentJobs().driver()).cancel(id, this.#requireName());
  }

  async retry(id: string): Promise<boolean> {
    return (await currentJobs().driver()).retry(id, this.#requireName());
  }
}

/** Declares a background job. Default-export it from jobs/<name>.ts. */
export function defineJob<S extends StandardSchemaV1 | undefined = undefined, R = unknown>(options: JobOptions<S, R>): JobDefinition<S, R> {
  return new Job(options);
}
