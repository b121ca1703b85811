import { relative } from "node:path";
import { buildApp } from "../build/build.js";
import { parseCommon } from "./args.js";
import { requireAppDir } from "./project.js";

export async function run(argv: string[]): Promise<number> {
  process.env.NODE_ENV ??= "production";
  const { root } = parseCommon("build", argv);
  requireAppDir(root);
  const result = await buildApp({ root });
  const routes = result.app.routes.length;
  process.stdout.write(
    `tandem build: ${routes} route${routes === 1 ? "" : "s"} built into ${relative(process.cwd(), result.outDir) || "."} in ${Math.round(result.ms)} ms\n`,
  );
  return 0;
}
