import { statSync } from "node:fs";
import { resolve } from "node:path";
import { loadServerBuild, type ServerBuild } from "../app/server-build.js";
import { loadInstrumentation } from "../runtime/instrumentation.js";
import { validateConfig } from "../config.js";
import type { JobsConfig } from "../jobs/config.js";
import type { JobDefinition } from "../jobs/types.js";
import { dataDirOf } from "../runtime/create-runtime.js";
import { loadEnvFile } from "./project.js";

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * `tandem worker [dir] ...` and `tandem jobs [dir] ...`: an optional project folder first, then the
 * command's own arguments. Jobs use the same data folder as `tandem start` for that project.
 */
export async function jobsContext(
  argv: string[],
  options: { instrument?: boolean } = {},
): Promise<{
  argv: string[];
  ctx: { root: string; jobs: JobsConfig; loadBuild: () => Promise<{ jobs: Record<string, JobDefinition> }> };
}> {
  const first = argv[0];
  const explicit = first !== undefined && !first.startsWith("-") && isDir(first);
  const root = resolve(explicit ? first : ".");
  loadEnvFile(root);
  // A worker runs the app's instrumentation.ts first, as `tandem start` does (its job spans).
  if (options.instrument === true) await loadInstrumentation(root, { dev: false });
  const build: ServerBuild = await loadServerBuild(root);
  const config = validateConfig(build.config ?? {});
  const { dashboard: _, ...jobs } = config.jobs ?? {};
  return {
    argv: explicit ? argv.slice(1) : argv,
    ctx: {
      root,
      jobs: { ...jobs, dataDir: dataDirOf(root, config) },
      loadBuild: async () => ({ jobs: build.jobs as Record<string, JobDefinition> }),
    },
  };
}
