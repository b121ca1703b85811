// Builds or serves the fixture site the way the CLI does (buildApp; createRuntime + serve), for
// bench/suites/ssr.mjs. <dir> must sit beside fixtures/site so its relative imports resolve:
//   node --import tsx serve-site.ts build <dir>     (copies the fixture to <dir>, then builds it)
//   PORT=3000 node --import tsx serve-site.ts serve <dir>
import { cp, rm } from "node:fs/promises";
import { resolve } from "node:path";
import { SITE } from "./harness.js";
import { buildSiteApp, serveSiteApp } from "./pipeline.js";

const [command, dir] = process.argv.slice(2);
if ((command !== "build" && command !== "serve") || dir === undefined) {
  console.error("usage: serve-site.ts build|serve <dir>");
  process.exit(2);
}
const root = resolve(dir);
if (command === "build") {
  await rm(root, { recursive: true, force: true });
  await cp(SITE, root, { recursive: true, filter: (src) => !src.includes("/.out") && !src.includes("/.tandem") });
  await buildSiteApp(root);
} else {
  const server = await serveSiteApp(root, Number(process.env.PORT ?? 3000));
  console.log(`serving ${root} at ${server.url}`);
  const stop = (): void => void server.close().then(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
