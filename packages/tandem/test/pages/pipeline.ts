// The pages feature inside Tandem's own pipeline, exactly as the CLI runs it:
// buildApp (`tandem build`), then loadServerBuild + createRuntime + serve (`tandem start`).
import { rm } from "node:fs/promises";
import { loadServerBuild } from "../../src/app/server-build.js";
import { createRuntime, serve } from "tandem/node";
import { buildApp } from "../../src/build/build.js";
import { copySite, type Site } from "./harness.js";

/** `tandem build` of a project folder. */
export async function buildSiteApp(root: string): Promise<void> {
  await buildApp({ root });
}

/** What `tandem start` does with that build. */
export async function serveSiteApp(root: string, port = 0): Promise<{ url: string; close(): Promise<void> }> {
  const build = await loadServerBuild(root);
  const runtime = await createRuntime({ root, build, dev: false });
  return serve({ fetch: runtime.fetch, ...runtime.serve, port, host: "127.0.0.1", handleSignals: false });
}

export async function buildAndServeApp(): Promise<Site> {
  const root = await copySite();
  await buildSiteApp(root);
  const server = await serveSiteApp(root);
  return {
    url: server.url,
    async close() {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
