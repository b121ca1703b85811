import { TandemError } from "../errors/http-error.js";
import type { JobDefinition } from "./types.js";
import { checkName } from "./validate.js";

const byName = new Map<string, JobDefinition>();
const names = new WeakMap<JobDefinition, string>();

function isDefinition(value: unknown): value is JobDefinition {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "tandem.job";
}

/** Called by defineJob for jobs that carry an explicit name (scripts, tests). */
export function registerNamed(name: string, definition: JobDefinition): void {
  names.set(definition, name);
  byName.set(name, definition);
}

/**
 * The framework calls this at startup with jobs/<name>.ts default exports keyed by file name.
 * An explicit `name` in defineJob wins over the file name. Calling it again (dev reload)
 * replaces definitions of the same name.
 */
export function registerJobs(defs: Record<string, JobDefinition>): void {
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
    registerNamed(name, definition);
  }
}

export function nameOf(definition: JobDefinition): string | undefined {
  return names.get(definition);
}

export function registeredJobs(): Map<string, JobDefinition> {
  return new Map(byName);
}

export function findJob(name: string): JobDefinition | undefined {
  return byName.get(name);
}

/** Tests only: forget every registration. */
export function clearRegistry(): void {
  byName.clear();
}
