import { parseCommand } from "./args.js";
import { jobsContext } from "./jobs-context.js";

export async function run(argv: string[]): Promise<number> {
  // Flags are checked before the app loads: a typo answers at once, without running the app's modules.
  parseCommand("jobs", argv);
  const { argv: rest, ctx } = await jobsContext(argv);
  const { run: jobs } = await import("./jobs.js");
  return jobs(rest, ctx);
}
