import { join } from "node:path";
import { createApp, type AppOptions, type Mount, type TandemApp } from "../app/create-app.js";
import { checkSegmentConfig } from "../app/segment-config.js";
import { loadServerBuild, toManifest, type ServerBuild } from "../app/server-build.js";
import { validateConfig, type TandemConfig } from "../config.js";
import { TandemError } from "../errors/http-error.js";
import type { ErrorFormat } from "../errors/error-fields.js";
import type { AppManifest } from "../app/types.js";
import { appHub } from "../realtime/app-hub.js";
import { fromNodeRequest } from "../server/request.js";
import type { ServeOptions } from "../server/types.js";
import type { CompressionOptions } from "../compression/compressor.js";
import { createHealth, type Health, type HealthOptions } from "../health/health.js";
import { createJobsScope, startJobs, type JobsRuntime } from "./jobs.js";
import { requestId } from "../app/request-id.js";
import { provideWebGlobals } from "../app/web-globals.js";
import { imageMount } from "../image/mount.js";
import { AfterTracker, afterResponse, RequestAfter } from "../app/after.js";

export type Role = "all" | "web" | "worker";

export interface RuntimeOptions {
  /** The project folder. */
  root: string;
  /** The app's server build; default the one `tandem build` wrote under root. */
  build?: ServerBuild;
  /** Default false. */
  dev?: boolean;
  /** Which parts this process runs: "web" serves requests, "worker" runs jobs; default both. */
  role?: Role;
  logger?: Pick<Console, "error" | "warn" | "info">;
}

/** Everything a process runs for one app: the fetch handler plus the features around it. */
export interface Runtime {
  /** The current app; `update` swaps it (dev) while sockets and workers stay up. */
  readonly app: TandemApp;
  readonly config: TandemConfig;
  /** Publishes to this app's subscribers: what `publish` from `tandem/realtime` does in its handlers and jobs. */
  publish(topic: string, data: unknown): Promise<void>;
  /**
   * Bound to the current app, for serve({ fetch }); synchronous when the app's answer is. Its
   * promise may reject with a handler's error: serve it with `serve.recover`, which maps that.
   */
  fetch(request: Request): Response | Promise<Response>;
  /** Fields for serve(): upgrade handling and shutdown hooks of the features. */
  serve: Pick<ServeOptions, "onUpgrade" | "onShutdown"> &
    Required<Pick<ServeOptions, "recover">> & { compression: boolean | CompressionOptions; errorFormat: ErrorFormat };
  /** Dev: the server entry was re-evaluated; route the next requests through its modules. */
  update(build: ServerBuild): void;
  close(): Promise<void>;
}

/**
 * The one place where features meet: dev and start both build their process from here, so what
 * is tested through `tandem dev` is what `tandem start` serves. Everything an app holds (its
 * pub/sub hub, its jobs store and workers, its sockets) belongs to the runtime, in its scope
 * (decision 0009): two runtimes in one process share nothing. Only the app (routes, middleware)
 * is replaced on a dev reload.
 */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  // WebSocket and URLPattern on Node 20, as Next.js apps expect (a no-op when already there).
  provideWebGlobals();
  const { root } = options;
  const dev = options.dev ?? false;
  const logger = options.logger ?? console;
  const role = options.role ?? "all";
  let build = options.build ?? (await loadServerBuild(root));
  const config = validateConfig(build.config ?? {});
  // Once per process: next.config keys Tandem does not act on (dev restarts the runtime for none).
  for (const line of build.nextConfig?.warnings ?? []) logger.warn(line);
  const { dashboard: _, ...jobsSettings } = config.jobs ?? {};
  const { scope, context } = createJobsScope({ ...jobsSettings, dataDir: dataDirOf(root, config) }, logger);
  const hub = () => appHub(scope, { logger });
  // Dev always enters the scope: an import of tandem/realtime added while it runs needs no restart.
  const scoped = dev || build.appScope !== false;
  const mounts: Mount[] = [];
  // after() tasks of every request: shutdown waits for them.
  const afterTasks = new AfterTracker(logger);
  const errorFormat = config.errors?.format ?? "json";
  // This runtime in the tracing channels' contexts, the same across dev reloads: its metrics count its own requests only.
  const identity = {};
  const makeApp = (build: ServerBuild): TandemApp => {
    const appOptions: AppOptions = {
      dev,
      mounts,
      logger,
      compression: config.compression,
      errorFormat,
      identity,
      routing: build.nextConfig,
    };
    if (build.renderPage !== undefined) appOptions.renderPage = build.renderPage;
    if (build.runWithRequestContext !== undefined) appOptions.around = build.runWithRequestContext;
    if (build.renderNotFoundPage !== undefined) {
      const render = build.renderNotFoundPage;
      appOptions.notFound = (request, manifest) => render(request, manifest, { dev, logger });
    }
    return createApp(toManifest(build, root), appOptions);
  };
  let app = makeApp(build);
  await reportSegmentConfig(build, config, dev, logger);

  const openapi = openApiMounts(config, dev, () => toManifest(build, root));
  if (openapi !== undefined) mounts.push(...openapi);
  // next/image's optimizing endpoint; local images are read through the app itself.
  mounts.push(imageMount({ root, images: build.nextConfig?.images, handle: (request) => app.handle(request), logger, dev }));

  // Sockets need ws; an app without socket routes loads none of it (faster start, less memory).
  // Dev always has it, since a socket.ts may be added while it runs.
  const realtime =
    dev || build.routes.some((route) => route.socket !== undefined)
      ? (await import("../realtime/node.js")).createRealtime({
          app: { upgrade: (request) => app.upgrade(request) },
          ...(config.allowedOrigins ? { allowedOrigins: config.allowedOrigins } : {}),
          toRequest: (req) => fromNodeRequest(req, { bodyLimit: 0 }),
          logger,
          scope,
          errorFormat,
        })
      : undefined;
  const jobs: JobsRuntime | undefined =
    dev || Object.keys(build.jobs).length > 0
      ? await startJobs({
          scope,
          context,
          jobs: build.jobs,
          worker: role !== "web",
          dashboard: await dashboardAuth(dev, config, app),
          logger,
        })
      : undefined;
  if (jobs?.mount !== undefined) mounts.push(jobs.mount);
  const health = await healthOf(jobs, logger);
  mounts.push(...health.mounts);
  const metrics = await metricsOf(config, dev, app, identity, realtime, jobs);
  if (metrics !== undefined) mounts.push(metrics.mount);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    health.shutdown();
    metrics?.close();
    // Sockets and workers stop first; the hub and the jobs store they use close with the scope.
    closing ??= Promise.all([realtime?.close(), jobs?.close(), app.settled(), afterTasks.settled(), health.close()]).then(() =>
      scope.close(),
    );
    return closing;
  };
  return {
    get app() {
      return app;
    },
    config,
    publish: (topic, data) => hub().publish(topic, data),
    // The scope's frame knows the request: a job enqueued while handling it carries its id, and
    // after() finds the tasks to run once its response is sent.
    fetch: scoped
      ? (request) => {
          const after = new RequestAfter(afterTasks);
          return afterResponse(
            scope.runRequest(
              () => app.handle(request),
              () => requestId(request),
              after,
            ),
            after,
          );
        }
      : (request) => app.handle(request),
    serve: {
      recover: scoped ? (error, request) => scope.run(() => app.recover(error, request)) : (error, request) => app.recover(error, request),
      compression: config.compression ?? true,
      errorFormat,
      ...(realtime ? { onUpgrade: realtime.onUpgrade } : {}),
      onShutdown: [close],
    },
    update(next) {
      build = next;
      app = makeApp(next);
      jobs?.update(next.jobs);
    },
    close,
  };
}

/**
 * Route segment config (`export const dynamic`, `revalidate`, `maxDuration`...), read once at
 * startup: one line per setting Tandem does not apply as Next.js does. An invalid value stops
 * `tandem start`; dev says so and keeps serving (the file is being edited).
 */
async function reportSegmentConfig(
  build: ServerBuild,
  config: TandemConfig,
  dev: boolean,
  logger: Pick<Console, "error" | "warn" | "info">,
): Promise<void> {
  try {
    const report = await checkSegmentConfig(build.routes, config.server?.handlerTimeout ?? 30_000);
    for (const where of report.edge)
      logger.info(`${where}: runtime "edge" runs on Node.js (Tandem has one runtime with the same Web APIs)`);
    for (const note of report.notes) logger.warn(note);
  } catch (error) {
    if (!dev) throw error;
    logger.error(error instanceof Error ? error.message : String(error));
  }
}

/**
 * /openapi.json and its reference page, unless `openapi: false`. Dev rebuilds the document per
 * request. The OpenAPI modules load on the first request under these paths, not at startup.
 */
function openApiMounts(config: TandemConfig, dev: boolean, manifest: () => AppManifest): Mount[] | undefined {
  const options = config.openapi;
  if (options === false) return undefined;
  const path = options?.path ?? "/openapi.json";
  const docsPath = options?.docsPath ?? "/reference";
  const info = { title: options?.title ?? "API", version: options?.version ?? "1.0.0" };
  let handler: Promise<Mount["handle"]> | undefined;
  const load = async (): Promise<Mount["handle"]> => {
    const [{ createOpenApiHandler }, { createOpenApiDocumentFromManifest }] = await Promise.all([
      import("../api/openapi-handler.js"),
      import("../api/openapi-routes.js"),
    ]);
    let document: ReturnType<typeof createOpenApiDocumentFromManifest> | undefined;
    return createOpenApiHandler(
      () => {
        if (dev || document === undefined) document = createOpenApiDocumentFromManifest(manifest(), info);
        return document;
      },
      { path, docsPath, title: `${info.title} reference` },
    );
  };
  const handle = async (request: Request): Promise<Response | undefined> => {
    handler ??= load().catch((error: unknown) => {
      handler = undefined;
      throw error;
    });
    return (await handler)(request);
  };
  return [
    { prefix: path, handle },
    { prefix: docsPath, handle },
  ];
}

/**
 * /_tandem/health and /_tandem/ready. Readiness checks the job store when the app has jobs, and
 * Redis when REDIS_URL is set (realtime fan-out, BullMQ); ioredis loads only then.
 */
async function healthOf(jobs: JobsRuntime | undefined, logger: Pick<Console, "warn">): Promise<Health & { close(): Promise<void> }> {
  const checks: HealthOptions["checks"] = {};
  if (jobs?.check !== undefined) checks.jobs = jobs.check;
  const url = process.env.REDIS_URL;
  const redis = url ? (await import("../health/redis-check.js")).redisCheck(url) : undefined;
  if (redis !== undefined) checks.redis = redis.check;
  const health = createHealth({ checks }, logger);
  return { ...health, close: async () => redis?.close() };
}

/**
 * /_tandem/metrics when the config turns it on (`metrics: true` behind the app's middleware, or
 * `{ authorize }`); the module loads only then, and requests are counted only then.
 */
async function metricsOf(
  config: TandemConfig,
  dev: boolean,
  app: TandemApp,
  identity: object,
  realtime: { readonly connections: number } | undefined,
  jobs: JobsRuntime | undefined,
): Promise<{ mount: Mount; close(): void } | undefined> {
  const setting = config.metrics;
  if (setting === undefined || setting === false) return undefined;
  const { createMetrics, METRICS_PATH } = await import("../metrics/metrics.js");
  let authorize: (request: Request) => boolean | Promise<boolean>;
  if (typeof setting === "object") authorize = setting.authorize;
  else if (dev || (await app.guards(METRICS_PATH))) authorize = () => true;
  else {
    throw new TandemError(
      "TND_ERR_METRICS_UNPROTECTED",
      `metrics is on but no middleware matches ${METRICS_PATH}; add it to your middleware's matcher or pass metrics: { authorize }`,
    );
  }
  return createMetrics({
    identity,
    authorize,
    ...(realtime !== undefined ? { sockets: () => realtime.connections } : {}),
    ...(jobs?.check !== undefined ? { jobCounts: async () => (await jobs.context.driver()).counts() } : {}),
  });
}

const DASHBOARD = "/_tandem/jobs";

/** TANDEM_DATA_DIR (absolute) wins, then jobs.dataDir from the config, then .data in the project. */
export function dataDirOf(root: string, config: TandemConfig): string {
  return process.env.TANDEM_DATA_DIR || join(root, config.jobs?.dataDir ?? ".data");
}

/** In production the dashboard must sit behind auth: the app's middleware or an authorize function. */
async function dashboardAuth(
  dev: boolean,
  config: TandemConfig,
  app: TandemApp,
): Promise<((request: Request) => boolean | Promise<boolean>) | undefined> {
  const setting = config.jobs?.dashboard;
  if (typeof setting === "object") return setting.authorize;
  if (dev) return () => true;
  if (setting !== true) return undefined;
  if (!(await app.guards(DASHBOARD))) {
    throw new TandemError(
      "TND_ERR_JOBS_DASHBOARD_UNPROTECTED",
      `jobs.dashboard is on but no middleware matches ${DASHBOARD}; add it to your middleware's matcher or pass jobs.dashboard: { authorize }`,
    );
  }
  return () => true;
}
