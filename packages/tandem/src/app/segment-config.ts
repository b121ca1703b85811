import { TandemError } from "../errors/tandem-error.js";
import type { ManifestRoute } from "./types.js";

/**
 * Next.js's route segment config (`export const dynamic = ...` in a page or route.ts), checked
 * once when the app starts. What Tandem honours it does; for the rest one line says what Tandem
 * does instead, so that nothing an app sets is silently ignored.
 */
export interface SegmentReport {
  /** One line per setting Tandem does not apply as Next.js would. */
  notes: string[];
  /** `runtime = "edge"` files: accepted and run on Node. */
  edge: string[];
}

const RUNTIMES = new Set(["nodejs", "edge", "experimental-edge"]);
const DYNAMIC = new Set(["auto", "force-dynamic", "error", "force-static"]);
const FETCH_CACHE = new Set(["auto", "default-cache", "only-cache", "force-cache", "force-no-store", "default-no-store", "only-no-store"]);

/** `maxDuration` in ms when the module sets a valid one (checked at startup by checkSegmentConfig). */
export function maxDurationOf(mod: Record<string, unknown>): number | undefined {
  const value = mod.maxDuration;
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.ceil(value * 1000) : undefined;
}

/**
 * Reads the segment config of every page and route handler. Invalid values throw
 * TND_ERR_SEGMENT_CONFIG naming the file's route and the export. `handlerTimeout` is the server's
 * (ms, 0 = off): a longer maxDuration cannot extend it.
 */
export async function checkSegmentConfig(routes: readonly ManifestRoute[], handlerTimeout: number): Promise<SegmentReport> {
  const report: SegmentReport = { notes: [], edge: [] };
  for (const route of routes) {
    for (const kind of ["route", "page"] as const) {
      const load = route[kind];
      if (load === undefined || route.asset === true) continue;
      const mod = (await load()) as Record<string, unknown>;
      readModule(mod, `${kind === "page" ? "page" : "route handler"} ${route.pattern}`, kind, handlerTimeout, report);
    }
  }
  return report;
}

function readModule(
  mod: Record<string, unknown>,
  where: string,
  kind: "route" | "page",
  handlerTimeout: number,
  report: SegmentReport,
): void {
  const invalid = (name: string, expected: string): never => {
    throw new TandemError("TND_ERR_SEGMENT_CONFIG", `${where}: export const ${name} must be ${expected}, got ${JSON.stringify(mod[name])}`);
  };
  const { runtime, dynamic, revalidate, dynamicParams, fetchCache, maxDuration, preferredRegion } = mod;
  if (runtime !== undefined) {
    if (typeof runtime !== "string" || !RUNTIMES.has(runtime)) invalid("runtime", `"nodejs" or "edge"`);
    if (runtime !== "nodejs") report.edge.push(where);
  }
  if (dynamic !== undefined) {
    if (typeof dynamic !== "string" || !DYNAMIC.has(dynamic)) invalid("dynamic", `"auto", "force-dynamic", "error" or "force-static"`);
    if (dynamic === "error") report.notes.push(`${where}: dynamic "error" is not enforced; it renders on each request, as "auto" does`);
    if (dynamic === "force-static" && kind === "route") {
      report.notes.push(`${where}: dynamic "force-static" runs the handler on each request (Tandem prerenders pages only)`);
    }
  }
  if (revalidate !== undefined) {
    if (revalidate !== false && (typeof revalidate !== "number" || !(revalidate >= 0)))
      invalid("revalidate", "false or a number of seconds");
    if (typeof revalidate === "number" && revalidate > 0 && Number.isFinite(revalidate)) {
      report.notes.push(
        `${where}: revalidate ${revalidate} is not applied: Tandem keeps no render cache, so it renders on each request (a force-static page stays as built)`,
      );
    }
  }
  if (dynamicParams !== undefined) {
    if (typeof dynamicParams !== "boolean") invalid("dynamicParams", "a boolean");
    // Pages honour it (pages/static.ts: a 404 outside generateStaticParams); a route handler has no list.
    if (dynamicParams === false && kind === "route") {
      report.notes.push(`${where}: dynamicParams false is not applied to route handlers: every param reaches the handler`);
    }
  }
  if (fetchCache !== undefined) {
    if (typeof fetchCache !== "string" || !FETCH_CACHE.has(fetchCache))
      invalid("fetchCache", `one of ${[...FETCH_CACHE].map((v) => `"${v}"`).join(", ")}`);
    if (!(fetchCache as string).endsWith("no-store")) {
      report.notes.push(`${where}: fetchCache "${fetchCache}" has no effect: Tandem never caches fetch(), every call goes to the network`);
    }
  }
  if (maxDuration !== undefined) {
    if (typeof maxDuration !== "number" || !Number.isFinite(maxDuration) || maxDuration <= 0)
      invalid("maxDuration", "a positive number of seconds");
    if (kind === "page")
      report.notes.push(`${where}: maxDuration applies to route handlers only; pages answer within server.handlerTimeout`);
    else if (handlerTimeout > 0 && (maxDuration as number) * 1000 > handlerTimeout) {
      report.notes.push(
        `${where}: maxDuration ${maxDuration} s is longer than server.handlerTimeout (${handlerTimeout / 1000} s), which still applies; raise it in tandem.config.ts`,
      );
    }
  }
  if (preferredRegion !== undefined) report.notes.push(`${where}: preferredRegion has no effect: a Tandem app runs where its server runs`);
}
