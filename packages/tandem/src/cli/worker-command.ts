import { jobsContext } from "./jobs-context.js";

export async function run(argv: string[]): Promise<number> {
  const { argv: rest, ctx } = await jobsContext(argv);
  const { run: worker } = await import("./worker.js");
  return worker(rest, ctx);
}
