import type { Mount } from "../app/create-app.js";

/** A dependency the instance needs to serve: resolves when reachable, rejects (or hangs) when not. */
export type ReadinessCheck = () => Promise<void>;

export interface HealthOptions {
  /** Named checks for readiness (the job store, Redis). */
  checks: Record<string, ReadinessCheck>;
  /** ms a check may take before it counts as failed. Default 2000. */
  timeoutMs?: number;
}

export interface Health {
  /** /_tandem/health and /_tandem/ready, for the app's mounts. */
  mounts: Mount[];
  /** Readiness answers 503 from now on: the instance is draining. */
  shutdown(): void;
}

export const LIVENESS_PATH = "/_tandem/health";
export const READINESS_PATH = "/_tandem/ready";

const headers = { "content-type": "application/json", "cache-control": "no-store" };

/**
 * Liveness and readiness, as load balancers and Kubernetes probe them. Liveness says the process
 * answers; readiness says it should get traffic: not once shutdown has begun (so the balancer
 * drains it before it stops), and not while a check fails. Checks run on each probe, at once,
 * each bounded by the timeout; their answers carry no error text (no hosts or credentials leak
 * to whoever can reach the path), the log has the detail.
 */
export function createHealth(options: HealthOptions, logger: Pick<Console, "warn">): Health {
  const timeoutMs = options.timeoutMs ?? 2000;
  let draining = false;
  const run = async (name: string, check: ReadinessCheck): Promise<string> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`timed out after ${timeoutMs} ms`), timeoutMs);
    });
    try {
      return await Promise.race([check().then(() => "ok"), timeout]);
    } catch (error) {
      logger.warn(`[tandem] readiness: ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      return "unreachable";
    } finally {
      clearTimeout(timer);
    }
  };
  const methods = (request: Request): Response | undefined =>
    request.method === "GET" || request.method === "HEAD"
      ? undefined
      : new Response(null, { status: 405, headers: { allow: "GET, HEAD" } });
  const liveness: Mount = {
    prefix: LIVENESS_PATH,
    async handle(request) {
      if (new URL(request.url).pathname !== LIVENESS_PATH) return undefined;
      return methods(request) ?? new Response('{"status":"ok"}', { headers });
    },
  };
  const readiness: Mount = {
    prefix: READINESS_PATH,
    async handle(request) {
      if (new URL(request.url).pathname !== READINESS_PATH) return undefined;
      const refused = methods(request);
      if (refused !== undefined) return refused;
      if (draining) return Response.json({ status: "shutting down" }, { status: 503, headers });
      const names = Object.keys(options.checks);
      const results = await Promise.all(names.map((name) => run(name, options.checks[name]!)));
      const checks = Object.fromEntries(names.map((name, i) => [name, results[i]]));
      const ready = results.every((result) => result === "ok") && !draining;
      return Response.json({ status: ready ? "ready" : "unavailable", checks }, { status: ready ? 200 : 503, headers });
    },
  };
  return {
    mounts: [liveness, readiness],
    shutdown() {
      draining = true;
    },
  };
}
