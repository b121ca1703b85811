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
