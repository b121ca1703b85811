import { formatRouteTable } from "../router/format.js";
import { scanApp } from "../router/scan.js";
import { parseCommon } from "./args.js";
import { requireAppDir } from "./project.js";

export async function run(argv: string[]): Promise<number> {
  const { root } = parseCommon(argv);
  requireAppDir(root);
  process.stdout.write(formatRouteTable(await scanApp(root)) + "\n");
  return 0;
}
