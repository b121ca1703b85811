import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { writeRouteTypes } from "../build/typegen.js";
import { scanApp } from "../router/scan.js";

const USAGE = "Usage: tandem typegen [--out <dir>]   (default out: .tandem/types)";

/** `tandem typegen`: scan app/ and write .tandem/types/routes.d.ts once. */
export async function run(argv: string[], ctx: { root: string }): Promise<number> {
  let out: string;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { out: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: true,
    });
    if (values.help) {
      console.info(USAGE);
      return 0;
    }
    out = resolve(ctx.root, values.out ?? ".tandem/types");
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    const app = await scanApp(ctx.root);
    await writeRouteTypes(app, out);
    const count = app.routes.filter((route) => route.route).length;
    console.info(`tandem typegen: ${count} route file(s), ${app.routes.length} pattern(s) -> ${out}/routes.d.ts`);
    return 0;
  } catch (error) {
    console.error(`tandem typegen failed: ${(error as Error).message}`);
    return 1;
  }
}
