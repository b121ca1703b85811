import { parseCommon } from "./args.js";
import { requireAppDir } from "./project.js";

export async function run(argv: string[]): Promise<number> {
  const { root, values } = parseCommon("typegen", argv);
  requireAppDir(root);
  const { run: typegen } = await import("./typegen.js");
  return typegen(typeof values.out === "string" ? ["--out", values.out] : [], { root });
}
