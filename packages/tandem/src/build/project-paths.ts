import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Alias } from "vite";

function read(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

interface JsConfig {
  compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> };
}

/** `"@/*": ["./src/*"]` → an alias from `@/` to the folder; exact keys map one to one. */
function aliasesOf(root: string, config: JsConfig): Alias[] {
  const base = resolve(root, config.compilerOptions?.baseUrl ?? ".");
  const aliases: Alias[] = [];
  for (const [key, targets] of Object.entries(config.compilerOptions?.paths ?? {})) {
    const target = targets[0];
    if (target === undefined) continue;
    if (key.endsWith("/*") && target.endsWith("/*")) {
      const prefix = key.slice(0, -1);
      aliases.push({
        find: new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`),
        replacement: `${resolve(base, target.slice(0, -1))}/`,
      });
    } else if (!key.includes("*")) {
      aliases.push({ find: new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`), replacement: resolve(base, target) });
    }
  }
  return aliases;
}

/**
 * How the app's own import paths resolve, as Next.js reads them: `tsconfig.json` `paths` and
 * `baseUrl` through Vite's native resolution (`resolve.tsconfigPaths`), `jsconfig.json` (which
 * Vite does not read) as aliases, and `@/` as the project root only when neither maps `@/*`.
 */
export function projectPaths(root: string): { tsconfigPaths: boolean; alias: Alias[] } {
  const tsconfig = read(join(root, "tsconfig.json"));
  const jsconfigText = tsconfig === undefined ? read(join(root, "jsconfig.json")) : undefined;
  let alias: Alias[] = [];
  if (jsconfigText !== undefined) {
    try {
      alias = aliasesOf(root, JSON.parse(jsconfigText) as JsConfig);
    } catch {
      // Not plain JSON (comments): its paths are not read; the build's own errors name the imports.
    }
  }
  const mapsAt = (tsconfig ?? jsconfigText ?? "").includes('"@/*"');
  if (!mapsAt) alias.push({ find: /^@\//, replacement: root.replace(/\/?$/, "/") });
  return { tsconfigPaths: tsconfig !== undefined, alias };
}
