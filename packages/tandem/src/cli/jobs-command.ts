import { loadServerBuild } from "../app/server-build.js";
import { parseCommon } from "./args.js";

export async function run(argv: string[]): Promise<number> {
  const { root, rest } = parseCommon(argv, { concurrency: { type: "string" } });
  const { run: jobs } = await import("./jobs.js");
  return jobs(argv, { root, loadBuild: () => loadServerBuild(root) as never });
}
