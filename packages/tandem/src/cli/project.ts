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
 * The project's env files, in the order Next.js and Vite give them, most specific first:
 * `.env.<mode>.local`, `.env.local` (not when NODE_ENV is "test", so tests do not depend on one
 * developer's machine), `.env.<mode>`, `.env`. A variable keeps the first value it gets, and
 * variables already in the environment win over every file, so a real deployment's settings are
 * never overridden by a file left in the folder. The mode is NODE_ENV, which each command sets
 * before this runs (start and build: production, dev: development).
 */
export function loadEnvFile(root: string): void {
  const mode = process.env.NODE_ENV || "development";
  const names = [`.env.${mode}.local`, ...(mode === "test" ? [] : [".env.local"]), `.env.${mode}`, ".env"];
  for (const name of names) {
    const file = join(root, name);
    // process.loadEnvFile sets only variables that are not set yet.
    if (existsSync(file)) process.loadEnvFile(file);
  }
}
