import { jobsContext } from "./jobs-context.js";

export async function run(argv: string[]): Promise<number> {
  const { argv: rest, ctx } = await jobsContext(argv);
  const { run: jobs } = await import("./jobs.js");
  return jobs(rest, ctx);
}
