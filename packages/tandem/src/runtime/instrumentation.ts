import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BUILD_DIR } from "../app/server-build.js";
import { TandemError } from "../errors/http-error.js";
import { channels, isControlFlow } from "../tracing/channels.js";

const NAMES = ["instrumentation.ts", "instrumentation.mts", "instrumentation.js", "instrumentation.mjs"];

/** The app's instrumentation file, as Next.js looks for it: at the project root, else in src/. */
export function findInstrumentationFile(root: string): string | undefined {
  for (const dir of [root, join(root, "src")]) {
    for (const name of NAMES) {
      const file = join(dir, name);
      if (existsSync(file)) return file;
    }
  }
  return undefined;
}

/** Where `tandem build` writes the compiled instrumentation file. */
export function builtInstrumentationPath(root: string): string {
  return join(root, BUILD_DIR, "server", "instrumentation.js");
}

/** What Next.js passes to `onRequestError` as its second argument. */
export interface RequestErrorInfo {
  path: string;
  method: string;
  headers: Record<string, string>;
}

/** And as its third: where the error was thrown. */
export interface RequestErrorContext {
  routerKind: "App Router";
  /** The route pattern, e.g. `/api/cards/[id]`; the path for middleware. */
  routePath: string;
  routeType: "route" | "render" | "action" | "middleware";
}

type OnRequestError = (error: unknown, request: RequestErrorInfo, context: RequestErrorContext) => unknown;

// Once per process and file, whoever asks (start, the memory test harness, a second runtime):
// register() sets up a process-wide SDK, and the channels it is bridged to are process-wide too.
const REGISTERED = Symbol.for("tandem.instrumentation");
const registered = ((globalThis as Record<symbol, unknown>)[REGISTERED] ??= new Map()) as Map<string, Promise<void>>;

/**
 * Runs the app's instrumentation file: `register()` once, before the app's modules load, then
 * Tandem's spans through `@opentelemetry/api` when the app has it installed, and its
 * `onRequestError` for every error a route handler, page render, Server Action or middleware
 * throws. Production imports the build's compiled copy; dev passes Vite's module runner as `load`.
 * Resolves to false when the app has no instrumentation file.
 */
export async function loadInstrumentation(
  root: string,
  options: { dev: boolean; load?: (file: string) => Promise<Record<string, unknown>>; logger?: Pick<Console, "error"> },
): Promise<boolean> {
  const source = findInstrumentationFile(root);
  if (source === undefined) return false;
  const file = options.dev ? source : builtInstrumentationPath(root);
  let done = registered.get(file);
  if (done === undefined) {
    done = register(file, options);
    registered.set(file, done);
  }
  await done;
  return true;
}

async function register(
  file: string,
  options: { load?: (file: string) => Promise<Record<string, unknown>>; logger?: Pick<Console, "error"> },
): Promise<void> {
  if (options.load === undefined && !existsSync(file)) {
    throw new TandemError("TND_ERR_NO_BUILD", `${file} is missing: the app has an instrumentation file; run \`tandem build\` again.`);
  }
  const mod = options.load ? await options.load(file) : ((await import(pathToFileURL(file).href)) as Record<string, unknown>);
  const { register: run, onRequestError } = mod;
  if (run !== undefined && typeof run !== "function") {
    throw new TandemError("TND_ERR_INVALID_CONFIG", `${file}: export register must be a function, got ${typeof run}`);
  }
  if (onRequestError !== undefined && typeof onRequestError !== "function") {
    throw new TandemError("TND_ERR_INVALID_CONFIG", `${file}: export onRequestError must be a function, got ${typeof onRequestError}`);
  }
  try {
    await (run as (() => unknown) | undefined)?.();
  } catch (error) {
    throw new TandemError("TND_ERR_INSTRUMENTATION", `${file}: register() failed: ${(error as Error)?.message ?? String(error)}`, {
      cause: error,
    });
  }
  await bridgeOpenTelemetry();
  if (onRequestError !== undefined) reportErrors(onRequestError as OnRequestError, options.logger ?? console);
}

/** Tandem's spans, when the app installed @opentelemetry/api (an optional peer): without it there is nothing to send them to. */
async function bridgeOpenTelemetry(): Promise<void> {
  try {
    import.meta.resolve("@opentelemetry/api");
  } catch {
    return;
  }
  const [api, { subscribeOpenTelemetry }] = await Promise.all([import("@opentelemetry/api"), import("../tracing/otel.js")]);
  subscribeOpenTelemetry(api);
}

/** onRequestError hears the `error` events of the four request channels; control flow (redirect, 4xx) is no error. */
function reportErrors(onRequestError: OnRequestError, logger: Pick<Console, "error">): void {
  const report = (error: unknown, request: Request, routePath: string, routeType: RequestErrorContext["routeType"]): void => {
    if (isControlFlow(error)) return;
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const info = { path: url.pathname + url.search, method: request.method, headers };
    // Its own failure is logged, never thrown into the request it reports on.
    Promise.resolve()
      .then(() => onRequestError(error, info, { routerKind: "App Router", routePath, routeType }))
      .catch((failure: unknown) => logger.error("[tandem] instrumentation onRequestError threw:", failure));
  };
  channels.route.error.subscribe((m) => {
    const c = m as { error: unknown; request: Request; route: string };
    report(c.error, c.request, c.route, "route");
  });
  channels.render.error.subscribe((m) => {
    const c = m as { error: unknown; request: Request; route: string };
    report(c.error, c.request, c.route, "render");
  });
  channels.action.error.subscribe((m) => {
    const c = m as { error: unknown; request: Request };
    report(c.error, c.request, new URL(c.request.url).pathname, "action");
  });
  channels.middleware.error.subscribe((m) => {
    const c = m as { error: unknown; request: Request; path: string };
    report(c.error, c.request, c.path, "middleware");
  });
}
