// Real folder trees in a temp dir for scan and format tests.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { TandemError } from "tandem/server";
import { scanApp } from "../../src/router/scan.js";
import type { ScannedApp } from "../../src/router/types.js";

export async function withTree<R>(files: string[], fn: (root: string) => Promise<R>): Promise<R> {
  const root = await mkdtemp(join(tmpdir(), "tandem-scan-"));
  try {
    for (const file of files) {
      await mkdir(dirname(join(root, file)), { recursive: true });
      // A trailing slash makes an empty folder.
      if (file.endsWith("/")) await mkdir(join(root, file), { recursive: true });
      else await writeFile(join(root, file), "export {};\n");
    }
    return await fn(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

export function scanTree(files: string[]): Promise<ScannedApp> {
  return withTree(files, scanApp);
}

/** The scan error for a tree, checked to be a TandemError with the code. */
export async function scanError(files: string[], code: string): Promise<TandemError> {
  try {
    await scanTree(files);
  } catch (error) {
    if (error instanceof TandemError && error.code === code) return error;
    throw new Error(`expected ${code}, got ${String(error)}`, { cause: error });
  }
  throw new Error(`expected ${code}, but the scan succeeded`);
}
