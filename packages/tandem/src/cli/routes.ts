import { readFile } from "node:fs/promises";
import { exportedMethods } from "../build/check-modules.js";
import { formatRouteTable } from "../router/format.js";
import { scanApp } from "../router/scan.js";
import { parseCommon } from "./args.js";
import { requireAppDir } from "./project.js";

export async function run(argv: string[]): Promise<number> {
  const { root } = parseCommon("routes", argv);
  requireAppDir(root);
  const app = await scanApp(root);
  // Read from the source, not by running it: listing routes must not start the app's database or jobs.
  const methods = new Map<string, readonly string[]>();
  for (const route of app.routes) {
    if (route.route !== undefined) methods.set(route.route, exportedMethods(route.route, await readFile(route.route, "utf8")));
    if (route.page !== undefined) methods.set(route.page, ["GET", "HEAD"]);
    if (route.socket !== undefined) methods.set(route.socket, ["GET (upgrade)"]);
  }
  process.stdout.write(formatRouteTable(app, { methods }) + "\n");
  return 0;
}
