// Builds or serves the fixture site through createApp + serve(), for bench/suites/ssr.mjs:
//   node --import tsx serve-site.ts build <outDir>
//   PORT=3000 node --import tsx serve-site.ts serve <outDir>
import { resolve } from "node:path";
import { buildSiteApp, serveSiteApp } from "./pipeline.js";

const [command, dir] = process.argv.slice(2);
if ((command !== "build" && command !== "serve") || dir === undefined) {
  console.error("usage: serve-site.ts build|serve <outDir>");
  process.exit(2);
}
const outDir = resolve(dir);
if (command === "build") {
  await buildSiteApp(outDir);
} else {
  const server = await serveSiteApp(outDir, Number(process.env.PORT ?? 3000));
  console.log(`serving ${outDir} at ${server.url}`);
  const stop = (): void => void server.close().then(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
