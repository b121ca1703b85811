import { TandemError } from "../errors/http-error.js";

/**
 * Checks that optional peer dependencies are installed before a feature imports them, so a
 * missing one stops with the command that fixes it instead of ERR_MODULE_NOT_FOUND from deep in
 * the jobs or realtime code. Resolved from Tandem's own files, as their imports are.
 */
export function requirePackages(names: readonly string[], purpose: string): void {
  const missing = names.filter((name) => {
    for (const specifier of [name, `${name}/package.json`]) {
      try {
        import.meta.resolve(specifier);
        return false;
      } catch {
        // A package of files only (fonts, pictures) has no entry point: its package.json shows it is there.
      }
    }
    return true;
  });
  if (missing.length === 0) return;
  const list = missing.join(" ");
  throw new TandemError(
    "TND_ERR_MISSING_PACKAGE",
    `${purpose} needs ${missing.length === 1 ? "the package" : "the packages"} ${missing.join(" and ")}, which ${missing.length === 1 ? "is" : "are"} not installed: run npm install ${list}`,
  );
}
