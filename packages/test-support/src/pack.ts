// The packages as users get them: `npm pack` into a folder outside the repository.
import { join } from "node:path";
import { ok } from "./processes.js";

/** Packs the workspace package in `dir` into `destination`; the tarball's absolute path. */
export async function packTarball(dir: string, destination: string, env?: NodeJS.ProcessEnv): Promise<string> {
  // npm prints lifecycle output before the file name, which is always the last line.
  const output = await ok("npm", ["pack", "--silent", "--pack-destination", destination], { cwd: dir, ...(env ? { env } : {}) });
  return join(destination, output.trim().split("\n").pop()!);
}
