import { requirePackages } from "../optional/require-package.js";
import { currentScope, type AppScope } from "../app/scope.js";
import { TandemError } from "../errors/http-error.js";
import { resolveJobsConfig, type JobsConfig, type ResolvedConfig } from "./config.js";
import type { JobDefinition, JobEvent, JobsDriver } from "./types.js";

export type JobEventPublisher = (topic: string, event: JobEvent) => void;

/** What a driver and its workers need from the app they serve. */
export interface DriverHost {
  readonly config: ResolvedConfig;
  emit(event: JobEvent): void;
  /** The latest registration of a name: in dev, re-registered code runs without a worker restart. */
  find(name: string): JobDefinition | undefined;
  names(): string[];
  /** Runs a job's handler in its app's scope, so its publish() and enqueue() reach that app (and carry its request id). */
  enter<T>(fn: () => T, requestId?: string): T;
  /** The app's logger (the framework's pino logger under tandem start and dev). */
  readonly logger: Pick<Console, "error">;
}

export interface JobsContextOptions {
  /** Where job events go besides in-process listeners: the app's realtime publish. */
  publish?: JobEventPublisher;
  scope?: AppScope;
  logger?: Pick<Console, "error">;
}

const VALID_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function checkName(name: string): string {
  if (!VALID_NAME.test(name)) {
    throw new TandemError(
      "TND_ERR_JOB_BAD_DEFINITION",
      `Job name "${name}" must be 1-128 letters, digits, "-", "_" or "." (it names a queue).`,
    );
  }
  return name;
}

// On the definition itself, under a key every copy of Tandem shares (see app/scope.ts): the runtime
// that registers a job and the app code that enqueues it may hold different copies.
const NAME = Symbol.for("tandem.job.name");
type Named = JobDefinition & { [NAME]?: string };
// Jobs declared with an explicit name, for code outside any app (a script, a test).
const declared = new Map<string, JobDefinition>();

function isDefinition(value: unknown): value is JobDefinition {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "tandem.job";
}

/**
 * Called by defineJob for jobs that carry an explicit name: they join the jobs of the app whose
 * code defines them (a request, a job, a test run in a scope), else those of code outside any app.
 */
export function declareJob(name: string, definition: JobDefinition): void {
  (definition as Named)[NAME] = name;
  if (currentScope()) currentJobs().add(name, definition);
  else declared.set(name, definition);
}

export function nameOf(definition: JobDefinition): string | undefined {
  return (definition as Named)[NAME];
}

/**
 * One app's jobs: its settings, its driver (created at first use; the unused driver's dependency
 * is never loaded), its registered jobs and where their events go. The runtime makes one per app.
 */
export class JobsContext implements DriverHost {
  readonly config: ResolvedConfig;
  readonly #byName = new Map<string, JobDefinition>();
  readonly #listeners = new Set<(event: JobEvent) => void>();
  readonly #options: JobsContextOptions;
  readonly #standalone: boolean;
  #driver: Promise<JobsDriver> | null = null;

  constructor(config: JobsConfig = {}, options: JobsContextOptions = {}, standalone = false) {
    this.config = resolveJobsConfig(config);
    this.#options = options;
    this.#standalone = standalone;
  }

  /**
   * jobs/<name>.ts default exports keyed by file name. An explicit `name` in defineJob wins over
   * the file name. Calling it again (dev reload) replaces definitions of the same name.
   */
  register(defs: Record<string, unknown>): void {
    const seen = new Map<string, string>();
    for (const [fileName, definition] of Object.entries(defs)) {
      if (!isDefinition(definition)) {
        throw new TandemError("TND_ERR_JOB_BAD_DEFINITION", `jobs/${fileName}: the default export is not a defineJob() result.`);
      }
      const name = checkName(definition.options.name ?? fileName);
      const clash = seen.get(name);
      if (clash !== undefined) {
        throw new TandemError("TND_ERR_JOB_BAD_DEFINITION", `jobs/${clash} and jobs/${fileName} are both named "${name}".`);
      }
      seen.set(name, fileName);
      this.add(name, definition);
    }
  }

  add(name: string, definition: JobDefinition): void {
    (definition as Named)[NAME] = name;
    this.#byName.set(name, definition);
  }

  find(name: string): JobDefinition | undefined {
    return this.#byName.get(name) ?? (this.#standalone ? declared.get(name) : undefined);
  }

  names(): string[] {
    return [...new Set([...this.#byName.keys(), ...(this.#standalone ? declared.keys() : [])])];
  }

  registered(): Map<string, JobDefinition> {
    return new Map(this.names().map((name) => [name, this.find(name)!]));
  }

  driver(): Promise<JobsDriver> {
    if (this.#driver) return this.#driver;
    const driver = (async () => {
      if (this.config.redisUrl) {
        requirePackages(["bullmq", "ioredis"], "Jobs on Redis (REDIS_URL is set)");
        const { createBullmqDriver } = await import("./bullmq/driver.js");
        return createBullmqDriver(this);
      }
      // The driver picks node:sqlite or better-sqlite3 (sqlite/connection.ts) and names what is missing.
      const { createSqliteDriver } = await import("./sqlite/driver.js");
      return createSqliteDriver(this);
    })();
    this.#driver = driver;
    // A failed start (bad Redis policy) must not be cached: the next call tries again and fails loudly again.
    driver.catch(() => {
      if (this.#driver === driver) this.#driver = null;
    });
    return driver;
  }

  /** In-process listeners (the dashboard's SSE stream). Returns an unsubscribe function. */
  onEvent(listener: (event: JobEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Events go to `jobs:<id>` and to `jobs`, from the process that runs the job. Best-effort. */
  get logger(): Pick<Console, "error"> {
    return this.#options.logger ?? console;
  }

  emit(event: JobEvent): void {
    const logger = this.logger;
    try {
      this.#options.publish?.(`jobs:${event.id}`, event);
      this.#options.publish?.("jobs", event);
    } catch (error) {
      logger.error("[tandem/jobs] event publisher threw:", error);
    }
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        logger.error("[tandem/jobs] event listener threw:", error);
      }
    }
  }

  enter<T>(fn: () => T, requestId?: string): T {
    return this.#options.scope ? this.#options.scope.run(fn, requestId ?? null) : fn();
  }

  /** Closes the driver (connections, database). */
  async close(): Promise<void> {
    const current = this.#driver;
    this.#driver = null;
    if (current) await (await current.catch(() => null))?.close();
  }
}

export const JOBS = Symbol.for("tandem.jobs");
let standalone: JobsContext | undefined;

/**
 * The jobs of the app whose request, socket event or job is running. Outside any app (a script),
 * a context of the process's own, from the environment; `closeJobs()` closes it.
 */
export function currentJobs(): JobsContext {
  const scope = currentScope();
  if (scope)
    return scope.use(
      JOBS,
      () => new JobsContext({}, { scope }),
      (jobs) => jobs.close(),
    );

  return (standalone ??= new JobsContext({}, {}, true));
}

/** Closes the jobs context of code that runs outside any app, so a script can exit. */
export async function closeJobs(): Promise<void> {
  const jobs = standalone;
  standalone = undefined;
  await jobs?.close();
}

/**
 * Tests and their child processes: closes the context of code outside any app, forgets the jobs
 * declared there and starts a new one with these settings. Not exported from `tandem/jobs`.
 */
export async function resetStandaloneJobs(config: JobsConfig = {}, options: JobsContextOptions = {}): Promise<JobsContext> {
  await closeJobs();
  declared.clear();
  return (standalone = new JobsContext(config, options, true));
}
