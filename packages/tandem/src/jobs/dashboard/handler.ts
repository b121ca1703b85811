import { randomBytes } from "node:crypto";
import { HttpError, TandemError } from "../../errors/http-error.js";
import { currentJobs, type JobsContext } from "../context.js";
import type { JobState } from "../types.js";
import { JOB_STATES } from "../types.js";
import { renderPage } from "./page.js";
import { eventStream } from "./sse.js";

export interface JobsDashboardOptions {
  /** Where the lead mounts it. Default "/_tandem/jobs". */
  basePath?: string;
  /** Default: on outside production (NODE_ENV !== "production"), off in production. */
  enabled?: boolean;
  /**
   * Called for every request. Required when enabled in production: return false to refuse (403).
   * `() => true` is fine when the app's middleware already guards the base path.
   */
  authorize?: (request: Request) => boolean | Promise<boolean>;
  /** Max concurrent live (SSE) connections. Default 20. */
  maxStreams?: number;
  /** The app's jobs. Default: those of the app serving the request. */
  jobs?: Pick<JobsContext, "driver" | "onEvent">;
  /** Where a failure of the dashboard itself is logged (tandem start and dev pass the framework logger). Default console. */
  logger?: Pick<Console, "error">;
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });

const notFound = () => new HttpError("TND_ERR_JOB_UNKNOWN", "No such jobs dashboard route or job.").toResponse();

/** Browsers send Origin on POST; a foreign or missing one is refused so another site cannot retry or cancel jobs. */
function sameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (origin !== null) return origin === new URL(request.url).origin;
  return request.headers.get("sec-fetch-site") === "same-origin";
}

/** The jobs dashboard as a fetch handler: HTML page, JSON API and a live SSE stream. */
export function createJobsDashboard(options: JobsDashboardOptions = {}): (request: Request) => Promise<Response> {
  const production = process.env.NODE_ENV === "production";
  const enabled = options.enabled ?? !production;
  if (enabled && production && !options.authorize) {
    throw new TandemError(
      "TND_ERR_JOBS_DASHBOARD_UNPROTECTED",
      "The jobs dashboard is enabled in production without authorize(request); pass one (e.g. () => true if your middleware guards it).",
    );
  }
  const base = (options.basePath ?? "/_tandem/jobs").replace(/\/+$/, "");
  const streams = { open: 0, max: options.maxStreams ?? 20 };

  async function route(request: Request, path: string): Promise<Response> {
    const method = request.method;
    if (path === "" || path === "/") {
      if (method !== "GET" && method !== "HEAD") return json({ error: { message: "Use GET." } }, 405);
      const nonce = randomBytes(16).toString("base64");
      return new Response(renderPage(base, nonce), {
        headers: {
          "content-type": "text/html; charset=utf-8",
          "cache-control": "no-store",
          "content-security-policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
          "x-content-type-options": "nosniff",
          "referrer-policy": "no-referrer",
        },
      });
    }
    const jobs = options.jobs ?? currentJobs();
    const d = await jobs.driver();
    if (path === "/api/counts" && method === "GET") return json({ driver: d.kind, counts: await d.counts() });
    if (path === "/api/events" && method === "GET") return eventStream(request, d, jobs, streams);
    if (path === "/api/jobs" && method === "GET") {
      const params = new URL(request.url).searchParams;
      const state = params.get("state") ?? undefined;
      if (state !== undefined && !JOB_STATES.includes(state as JobState)) {
        return new HttpError("TND_ERR_JOB_BAD_OPTIONS", `state must be one of ${JOB_STATES.join(", ")}.`).toResponse();
      }
      const limit = params.has("limit") ? Number(params.get("limit")) : 50;
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
        return new HttpError("TND_ERR_JOB_BAD_OPTIONS", "limit must be an integer from 1 to 500.").toResponse();
      }
      const name = params.get("name") ?? undefined;
      return json({ jobs: await d.list({ ...(state ? { state: state as JobState } : {}), ...(name ? { name } : {}), limit }) });
    }
    const match = /^\/api\/jobs\/([^/]{1,200})(?:\/(retry|cancel))?$/.exec(path);
    if (!match) return notFound();
    let id: string;
    try {
      id = decodeURIComponent(match[1]!);
    } catch {
      return new HttpError("TND_ERR_JOB_BAD_OPTIONS", "The job id in the URL is not valid percent-encoding.").toResponse();
    }
    if (!match[2]) {
      if (method !== "GET") return json({ error: { message: "Use GET." } }, 405);
      const job = await d.get(id);
      return job ? json({ job }) : notFound();
    }
    if (method !== "POST") return json({ error: { message: "Use POST." } }, 405);
    if (!sameOrigin(request)) {
      return new HttpError("TND_ERR_JOBS_FORBIDDEN", "Cross-origin retry/cancel requests are refused.").toResponse();
    }
    const job = await d.get(id);
    if (!job) return notFound();
    const ok = match[2] === "retry" ? await d.retry(id, job.name) : await d.cancel(id, job.name);
    return json({ ok, job: await d.get(id) }, ok ? 200 : 409);
  }

  return async (request) => {
    if (!enabled) return notFound();
    const pathname = new URL(request.url).pathname;
    if (pathname !== base && !pathname.startsWith(`${base}/`)) return notFound();
    try {
      if (options.authorize && !(await options.authorize(request))) {
        return new HttpError("TND_ERR_JOBS_FORBIDDEN", "Not allowed to use the jobs dashboard.").toResponse();
      }
      return await route(request, pathname.slice(base.length));
    } catch (error) {
      if (HttpError.is(error)) return error.toResponse();
      (options.logger ?? console).error("[tandem/jobs] dashboard error:", error);
      return json({ error: { message: "The jobs dashboard failed; see the server log." } }, 500);
    }
  };
}
