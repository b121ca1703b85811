import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { runnerImport } from "vite";
import { compileRouting } from "../app/config-routes/rules.js";
import type { ConfigRouting, HeaderRule, RedirectRule, RewriteRule } from "../app/config-routes/types.js";
import { showValue } from "../app/middleware/conditions.js";
import { TandemError } from "../errors/tandem-error.js";
import { toImageConfig } from "../image/config.js";

/** Counts loads of plain JavaScript configs, for their import URLs (see below). */
let loads = 0;

/** In Next.js's order of precedence. */
export const NEXT_CONFIG_NAMES = [
  "next.config.js",
  "next.config.mjs",
  "next.config.ts",
  "next.config.mts",
  "next.config.cjs",
  "next.config.cts",
];

/** What the build takes from next.config: routing for the server entry, the rest for Vite's config. */
export interface LoadedNextConfig {
  routing: ConfigRouting;
  /** `env`: inlined as `process.env.NAME` in server and client code, as Next.js does. */
  env: Record<string, string>;
  /** `serverExternalPackages`: left to Node in the server build, never bundled. */
  serverExternalPackages: string[];
}

/** The keys Tandem acts on. */
const READ = new Set(["redirects", "rewrites", "headers", "basePath", "trailingSlash", "env", "images", "serverExternalPackages"]);

/** Keys Next.js apps often set, with what Tandem does instead; any other key gets the plain line. */
const NOTES: Record<string, string> = {
  reactStrictMode: "Tandem does not add <React.StrictMode>; wrap the root layout's children in it for React's dev checks",
  poweredByHeader: "Tandem never sends X-Powered-By",
  compress: "compression is set in tandem.config.ts (`compression`)",
  output: "tandem build always writes one Node server to .tandem/",
  typescript: "tandem build does not type-check; run tsc",
  eslint: "tandem build does not lint; run your linter",
  experimental: "experimental flags are not read",
};

/** Next.js's phase names, passed to a config that exports a function. */
const PHASES = { build: "phase-production-build", dev: "phase-development-server" } as const;

export function findNextConfig(root: string): string | undefined {
  return NEXT_CONFIG_NAMES.map((name) => join(root, name)).find((file) => existsSync(file));
}

/**
 * Reads the app's next.config (undefined without one) as `next build` and `next dev` do: a
 * function export is called with the phase, and `redirects()`, `rewrites()` and `headers()` are
 * called once, here. Invalid values stop with TND_ERR_NEXT_CONFIG naming the key.
 */
export async function loadNextConfig(root: string, phase: keyof typeof PHASES): Promise<LoadedNextConfig | undefined> {
  const file = findNextConfig(root);
  if (file === undefined) return undefined;
  const name = basename(file);
  const invalid = (message: string, cause?: unknown): TandemError =>
    new TandemError("TND_ERR_NEXT_CONFIG", `${name}: ${message}`, cause === undefined ? undefined : { cause });
  let exported: unknown;
  try {
    exported = await importConfig(file, root);
  } catch (error) {
    throw invalid(`could not be loaded: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  let config = exported;
  if (typeof config === "function")
    config = await (config as (phase: string, context: unknown) => unknown)(PHASES[phase], { defaultConfig: {} });
  if (config === null || typeof config !== "object" || Array.isArray(config))
    throw invalid(`the default export must be an object or a function returning one, got ${showValue(config)}`);
  const given = config as Record<string, unknown>;
  const warnings: string[] = [];
  for (const key of Object.keys(given)) {
    if (given[key] === undefined) continue;
    if (READ.has(key)) continue;
    warnings.push(`${name}: "${key}" ${key in NOTES ? `is not read: ${NOTES[key]}` : "is not a key Tandem reads; it has no effect"}`);
  }
  const routing: ConfigRouting = {
    file: name,
    basePath: basePathOf(given.basePath, invalid),
    trailingSlash: booleanOf(given.trailingSlash, "trailingSlash", invalid),
    redirects: (await rulesOf(given.redirects, "redirects", invalid)).map((rule, i) => toRedirect(rule, i, invalid)),
    headers: (await rulesOf(given.headers, "headers", invalid)).map((rule, i) => toHeaderRule(rule, i, invalid)),
    rewrites: await rewritesOf(given.rewrites, invalid),
    warnings,
  };
  if (given.images !== undefined) {
    if (given.images === null || typeof given.images !== "object" || Array.isArray(given.images))
      throw invalid(`"images" must be an object, got ${showValue(given.images)}`);
    routing.images = JSON.parse(JSON.stringify(given.images)) as Record<string, unknown>;
    // Checked now, so that a bad value stops the build; kept as given (the runtime fills in defaults).
    toImageConfig(routing.images, invalid, (line) => warnings.push(`${name}: ${line}`));
  }
  // Every pattern compiled now, so that a bad one stops the build rather than the server.
  compileRouting(routing);
  return { routing, env: envOf(given.env, invalid), serverExternalPackages: packagesOf(given.serverExternalPackages, invalid) };
}

/**
 * Plain JavaScript goes to Node as it is (a CommonJS `module.exports` included); TypeScript
 * through Vite's module runner, which transforms it as it does the app's own files.
 */
async function importConfig(file: string, root: string): Promise<unknown> {
  if (/\.[cm]?js$/.test(file)) {
    // A fresh URL per load: two loads within one millisecond (an edit right after a read) would
    // otherwise get node's cached module, the config before the edit.
    const mod = (await import(`${pathToFileURL(file).href}?t=${Date.now()}-${++loads}`)) as { default?: unknown };
    return mod.default ?? mod;
  }
  const { module } = await runnerImport<{ default?: unknown }>(file, { root, configFile: false, logLevel: "error" });
  return module.default ?? module;
}

type Invalid = (message: string, cause?: unknown) => TandemError;

function basePathOf(value: unknown, invalid: Invalid): string {
  if (value === undefined || value === "") return "";
  if (typeof value !== "string") throw invalid(`"basePath" must be a string, got ${showValue(value)}`);
  if (!value.startsWith("/") || value.endsWith("/") || /[?#\s\\]/.test(value) || value.startsWith("//")) {
    throw invalid(`"basePath" must start with "/" and not end with one (like "/docs"), got ${JSON.stringify(value)}`);
  }
  return value;
}

function booleanOf(value: unknown, key: string, invalid: Invalid): boolean {
  if (value === undefined) return false;
  if (typeof value !== "boolean") throw invalid(`"${key}" must be a boolean, got ${showValue(value)}`);
  return value;
}

async function rulesOf(value: unknown, key: string, invalid: Invalid): Promise<Array<Record<string, unknown>>> {
  if (value === undefined) return [];
  if (typeof value !== "function") throw invalid(`"${key}" must be an (async) function returning an array, got ${showValue(value)}`);
  const list = await (value as () => unknown)();
  return arrayOf(list, `${key}()`, invalid);
}

function arrayOf(list: unknown, where: string, invalid: Invalid): Array<Record<string, unknown>> {
  if (!Array.isArray(list)) throw invalid(`${where} must return an array, got ${showValue(list)}`);
  return list.map((item, i) => {
    if (item === null || typeof item !== "object" || Array.isArray(item))
      throw invalid(`${where}[${i}] must be an object, got ${showValue(item)}`);
    return item as Record<string, unknown>;
  });
}

const RULE_KEYS = ["source", "has", "missing", "basePath", "locale"];

function checkKeys(rule: Record<string, unknown>, allowed: string[], where: string, invalid: Invalid): void {
  const extra = Object.keys(rule).filter((key) => !allowed.includes(key));
  if (extra.length > 0) throw invalid(`${where} has unknown key(s) ${extra.join(", ")} (allowed: ${allowed.join(", ")})`);
  if (rule.basePath !== undefined && rule.basePath !== false)
    throw invalid(`${where}.basePath may only be false, got ${showValue(rule.basePath)}`);
  // Tandem has no i18n routing: `locale: false` (match without a locale prefix) is what it does anyway.
  if (rule.locale !== undefined && rule.locale !== false)
    throw invalid(`${where}.locale may only be false (Tandem has no i18n routing), got ${showValue(rule.locale)}`);
}

function base(rule: Record<string, unknown>): Pick<RewriteRule, "source" | "has" | "missing" | "basePath"> {
  const out: Pick<RewriteRule, "source" | "has" | "missing" | "basePath"> = { source: rule.source as string };
  if (rule.has !== undefined) out.has = rule.has as RewriteRule["has"];
  if (rule.missing !== undefined) out.missing = rule.missing as RewriteRule["missing"];
  if (rule.basePath === false) out.basePath = false;
  return out;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function toRedirect(rule: Record<string, unknown>, i: number, invalid: Invalid): RedirectRule {
  const where = `redirects[${i}]`;
  checkKeys(rule, [...RULE_KEYS, "destination", "permanent", "statusCode"], where, invalid);
  const { permanent, statusCode } = rule;
  if ((permanent === undefined) === (statusCode === undefined))
    throw invalid(`${where} needs either "permanent" (true or false) or "statusCode", not ${permanent === undefined ? "neither" : "both"}`);
  if (permanent !== undefined && typeof permanent !== "boolean")
    throw invalid(`${where}.permanent must be a boolean, got ${showValue(permanent)}`);
  if (statusCode !== undefined && !REDIRECT_STATUSES.has(statusCode as number))
    throw invalid(`${where}.statusCode must be 301, 302, 303, 307 or 308, got ${showValue(statusCode)}`);
  const status = statusCode !== undefined ? (statusCode as number) : permanent === true ? 308 : 307;
  return { ...base(rule), destination: rule.destination as string, status };
}

function toRewrite(rule: Record<string, unknown>, where: string, invalid: Invalid): RewriteRule {
  checkKeys(rule, [...RULE_KEYS, "destination"], where, invalid);
  return { ...base(rule), destination: rule.destination as string };
}

function toHeaderRule(rule: Record<string, unknown>, i: number, invalid: Invalid): HeaderRule {
  const where = `headers[${i}]`;
  checkKeys(rule, [...RULE_KEYS, "headers"], where, invalid);
  const list = rule.headers;
  if (!Array.isArray(list) || list.length === 0)
    throw invalid(`${where}.headers must be a non-empty array of { key, value }, got ${showValue(list)}`);
  const headers = list.map((entry: unknown, j) => {
    const { key, value } = (entry ?? {}) as { key?: unknown; value?: unknown };
    if (typeof key !== "string" || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(key))
      throw invalid(`${where}.headers[${j}].key must be a header name, got ${showValue(key)}`);
    if (typeof value !== "string" || /[\r\n\0]/.test(value))
      throw invalid(`${where}.headers[${j}].value must be a string without line breaks, got ${showValue(value)}`);
    return { key, value };
  });
  return { ...base(rule), headers };
}

async function rewritesOf(value: unknown, invalid: Invalid): Promise<ConfigRouting["rewrites"]> {
  const empty = { beforeFiles: [], afterFiles: [], fallback: [] };
  if (value === undefined) return empty;
  if (typeof value !== "function") throw invalid(`"rewrites" must be an (async) function, got ${showValue(value)}`);
  const result = await (value as () => unknown)();
  // An array is Next.js's afterFiles.
  if (Array.isArray(result))
    return { ...empty, afterFiles: arrayOf(result, "rewrites()", invalid).map((r, i) => toRewrite(r, `rewrites[${i}]`, invalid)) };
  if (result === null || typeof result !== "object")
    throw invalid(`rewrites() must return an array or { beforeFiles, afterFiles, fallback }, got ${showValue(result)}`);
  const phases = result as Record<string, unknown>;
  const extra = Object.keys(phases).filter((key) => !(key in empty));
  if (extra.length > 0)
    throw invalid(`rewrites() returned unknown key(s) ${extra.join(", ")} (allowed: beforeFiles, afterFiles, fallback)`);
  const phase = (key: keyof typeof empty): RewriteRule[] =>
    phases[key] === undefined
      ? []
      : arrayOf(phases[key], `rewrites().${key}`, invalid).map((r, i) => toRewrite(r, `rewrites.${key}[${i}]`, invalid));
  return { beforeFiles: phase("beforeFiles"), afterFiles: phase("afterFiles"), fallback: phase("fallback") };
}

/** Next.js's rules: string values (numbers and booleans as their text), no `__` or `NODE_` names. */
function envOf(value: unknown, invalid: Invalid): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw invalid(`"env" must be an object of strings, got ${showValue(value)}`);
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) || key.startsWith("__") || key.startsWith("NODE_") || key === "NEXT_RUNTIME") {
      throw invalid(`"env.${key}" is not allowed (a name of letters, digits and _, not starting with __ or NODE_)`);
    }
    if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean")
      throw invalid(`"env.${key}" must be a string, got ${showValue(v)}`);
    out[key] = String(v);
  }
  return out;
}

function packagesOf(value: unknown, invalid: Invalid): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((name) => typeof name !== "string" || name === "")) {
    throw invalid(`"serverExternalPackages" must be an array of package names, got ${showValue(value)}`);
  }
  return value as string[];
}
