import { existsSync } from "node:fs";
import { join } from "node:path";
import { TandemError } from "../errors/http-error.js";

export function requireAppDir(root: string): void {
  if (existsSync(join(root, "app")) || existsSync(join(root, "src", "app"))) return;
  throw new TandemError(
    "TND_ERR_NO_APP_DIR",
    `no app/ folder in ${root}. Create app/ with route.ts or page.tsx files, or pass the project folder: tandem <command> <dir>`,
  );
}

/**
 * The project's .env, as Next.js reads it: variables already in the environment win, so a real
 * deployment's settings are never overridden by a file left in the folder.
 */
export function loadEnvFile(root: string): void {
  const file = join(root, ".env");
  if (existsSync(file)) process.loadEnvFile(file);
}
