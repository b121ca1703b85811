import { parseCommon } from "./args.js";
import { requireAppDir } from "./project.js";

export async function run(argv: string[]): Promise<number> {
  const { root } = parseCommon(argv);
  requireAppDir(root);
  const { run: typegen } = await import("./typegen.js");
  return typegen(argv.slice(1), { root });
}
