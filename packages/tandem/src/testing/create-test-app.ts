import { join, resolve as resolvePath } from "node:path";
import { pathToFileURL } from "node:url";
import WebSocket from "ws";
import { serverEntryPath, type ServerBuild } from "../app/server-build.js";
import { provideWebGlobals } from "../app/web-globals.js";
import type { TandemConfig } from "../config.js";
import { buildApp } from "../build/build.js";
import { TandemError } from "../errors/http-error.js";
import { createRuntime, type Runtime } from "../runtime/create-runtime.js";
import { createJobsScope } from "../runtime/jobs.js";
import { loadInstrumentation } from "../runtime/instrumentation.js";
import { serve } from "../server/serve.js";
import type { RunningServer } from "../server/types.js";
import { runTandem, type Spawned, startTandem } from "./spawn.js";

/**
 * How the app runs: `memory` builds it and calls its fetch handler in this process (the fastest;
 * a server starts only when a test asks for a URL); `start` runs `tandem build` and `tandem start`;
 * `dev` runs `tandem dev`. `start` and `dev` are child processes, as a user runs them.
 */
export type TestMode = "memory" | "start" | "dev";

export interface TestAppOptions {
  /** Default "memory". */
  mode?: TestMode;
  /** Environment for the app. In memory mode these are set on this process's `process.env`. */
  env?: Record<string, string>;
  /** Build before starting (memory and start). Default true; false reuses the build in `.tandem/`. */
  build?: boolean;
  /** How long `tandem start`/`tandem dev` may take to listen. Default 60 s. */
  startTimeoutMs?: number;
}

export interface TestApp {
  readonly mode: TestMode;
  readonly root: string;
  /** A request to the app; a path is resolved against the app's URL. Redirects are not followed. */
  fetch(input: string | URL, init?: RequestInit): Promise<Response>;
  /** The URL of a listening server (started on first call in memory mode). */
  url(): Promise<string>;
  /** The origin `fetch` sends requests to (`http://localhost` in memory mode), e.g. for an Origin header. */
  origin(): Promise<string>;
  /** A WebSocket client connected to `path`, resolved once open (no frame is missed); closed with the app. */
  socket(path: string, options?: { headers?: Record<string, string>; protocols?: string[] }): Promise<WebSocket>;
  /**
   * Resolves once no job of the app is waiting or running (delayed ones are left alone), so a
   * test can check what its jobs did. Reads the app's store: in memory mode with the app's own
   * settings; under `start`/`dev` from TANDEM_DATA_DIR or REDIS_URL in `env`, else `.data`.
   */
  drainJobs(options?: { timeoutMs?: number }): Promise<void>;
  /** What `tandem start`/`tandem dev` printed so far (empty in memory mode). */
  output(): string;
  /**
   * Resolves with the output once it matches `pattern` (at most `timeoutMs`, default 10 s):
   * `tandem start` writes a turn's log lines at its end, so a line about a request can arrive
   * after its response. Rejects at once in memory mode, which prints nothing.
   * @example
   * await app.fetch("/fails");
   * await app.waitForOutput(/GET \/fails failed/);
   */
  waitForOutput(pattern: RegExp, options?: { timeoutMs?: number }): Promise<string>;
  close(): Promise<void>;
}

/**
 * The app in `dir`, ready for requests. Every mode serves the same responses: that is what the
 * modes are for.
 * @example
 * const app = await createTestApp(".", { mode: "dev" });
 * const res = await app.fetch("/api/health");
 * await app.close();
 */
export async function createTestApp(dir: string, options: TestAppOptions = {}): Promise<TestApp> {
  const root = resolvePath(dir);
  const mode = options.mode ?? "memory";
  const env = { ...process.env, ...options.env };
  const timeout = options.startTimeoutMs ?? 60_000;
  const sockets = new Set<WebSocket>();
  let base: () => Promise<string>;
  let handle: ((request: Request) => Promise<Response>) | undefined;
  let stop: () => Promise<void>;
  let output = (): string => "";
  let waitForOutput = (pattern: RegExp, _timeoutMs: number): Promise<string> =>
    Promise.reject(new TandemError("TND_ERR_TESTING_COMMAND", `waitForOutput(${pattern}): memory mode prints nothing`));
  let jobsConfig: TandemConfig = {};

  if (mode === "memory") {
    Object.assign(process.env, options.env);
    if (options.build !== false) await buildApp({ root });
    const runtime = await loadRuntime(root);
    jobsConfig = runtime.config;
    handle = (request) => Promise.resolve(runtime.fetch(request)).catch((error: unknown) => runtime.serve.recover(error, request));
    let server: Promise<RunningServer> | undefined;
    base = async () => {
      server ??= serve({ ...runtime.serve, fetch: runtime.fetch, port: 0, host: "127.0.0.1", handleSignals: false });
      return (await server).url;
    };
    stop = async () => {
      if (server !== undefined) await (await server).close();
      await runtime.close();
    };
  } else if (mode === "start" || mode === "dev") {
    // The mode decides NODE_ENV: an in-process build (memory mode) leaves "production" in process.env.
    if (mode === "start" && options.build !== false) await runTandem(["build", root], { ...env, NODE_ENV: "production" });
    const nodeEnv = mode === "start" ? "production" : "development";
    const child: Spawned = await startTandem([mode, root, "--port", "0", "--host", "127.0.0.1"], { ...env, NODE_ENV: nodeEnv }, timeout);
    base = async () => child.url;
    stop = () => child.stop();
    output = () => child.output();
    waitForOutput = (pattern, timeoutMs) => child.waitForOutput(pattern, timeoutMs);
  } else {
    throw new TandemError("TND_ERR_INVALID_CONFIG", `createTestApp: mode must be "memory", "start" or "dev", got ${JSON.stringify(mode)}`);
  }

  return {
    mode,
    root,
    async fetch(input, init) {
      if (handle !== undefined) return handle(new Request(new URL(input, "http://localhost"), { redirect: "manual", ...init }));
      return fetch(new URL(input, await base()), { redirect: "manual", ...init });
    },
    url: () => base(),
    async origin() {
      return handle !== undefined ? "http://localhost" : new URL(await base()).origin;
    },
    async socket(path, socketOptions = {}) {
      const url = new URL(path, (await base()).replace(/^http/, "ws"));
      const ws = new WebSocket(url, socketOptions.protocols, { headers: socketOptions.headers ?? {} });
      sockets.add(ws);
      ws.once("close", () => sockets.delete(ws));
      await new Promise<void>((resolve, reject) => {
        ws.once("open", () => {
          // What the server sends on open may already be here: held until the caller, resumed
          // after this promise, has attached its listeners.
          ws.pause();
          setImmediate(() => ws.resume());
          resolve();
        });
        ws.once("unexpected-response", (_request, response) =>
          reject(new TandemError("TND_ERR_TESTING_COMMAND", `WebSocket upgrade to ${path} answered ${response.statusCode}`)),
        );
        ws.once("error", reject);
      });
      return ws;
    },
    drainJobs: (drainOptions = {}) => drain(root, jobsConfig, env, drainOptions.timeoutMs ?? 10_000),
    output: () => output(),
    waitForOutput: (pattern, waitOptions = {}) => waitForOutput(pattern, waitOptions.timeoutMs ?? 10_000),
    async close() {
      for (const ws of sockets) ws.terminate();
      await stop();
    },
  };
}

async function loadRuntime(root: string): Promise<Runtime> {
  provideWebGlobals();
  // As `tandem start` does: the app's instrumentation.ts before its modules (once per process).
  await loadInstrumentation(root, { dev: false });
  // A query per load: a test process may build and load the same app more than once.
  const build = (await import(`${pathToFileURL(serverEntryPath(root)).href}?t=${Date.now()}`)) as ServerBuild;
  return createRuntime({ root, build, dev: false });
}

/** Polls the app's jobs store (as `tandem jobs list` does) until nothing is waiting or active. */
async function drain(root: string, config: TandemConfig, env: Record<string, string | undefined>, timeoutMs: number): Promise<void> {
  const { dashboard: _, ...settings } = config.jobs ?? {};
  const dataDir = env.TANDEM_DATA_DIR || join(root, config.jobs?.dataDir ?? ".data");
  const { scope, context } = createJobsScope({ ...settings, dataDir, ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}) }, console);
  try {
    const driver = await context.driver();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = await driver.counts();
      const busy = Object.entries(counts).filter(([, byState]) => byState.waiting + byState.active > 0);
      if (busy.length === 0) return;
      if (Date.now() > deadline) {
        const what = busy.map(([name, byState]) => `${name}: ${byState.waiting} waiting, ${byState.active} active`).join("; ");
        throw new TandemError("TND_ERR_TESTING_COMMAND", `drainJobs: jobs still busy after ${timeoutMs} ms (${what})`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await scope.close();
  }
}
