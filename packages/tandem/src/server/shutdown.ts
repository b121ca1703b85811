import type { Server } from "node:http";
import type { Duplex } from "node:stream";

export interface ShutdownOptions {
  server: Server;
  upgraded: Set<Duplex>;
  hooks: Array<() => void | Promise<void>>;
  timeout: number;
  logger: Pick<Console, "error" | "warn" | "info">;
  /** Flips the server into "answer 503 + Connection: close". */
  begin(): void;
}

// How often idle keep-alive sockets are swept during shutdown: a socket whose in-flight request
// just finished becomes idle without telling anyone.
const SWEEP_MS = 25;

/**
 * Graceful shutdown in the order load balancers expect: stop accepting, close idle sockets, let
 * in-flight requests finish (new ones on open sockets get 503), run the features' hooks, and at the
 * deadline destroy whatever is left, upgraded sockets included.
 */
export function createShutdown(options: ShutdownOptions) {
  const { server, upgraded, logger } = options;
  let closed: Promise<void> | undefined;

  async function runHooks(): Promise<void> {
    await Promise.all(
      options.hooks.map(async (hook) => {
        try {
          await hook();
        } catch (error) {
          logger.error("tandem: an onShutdown hook failed", error);
        }
      }),
    );
  }

  async function close(): Promise<void> {
    options.begin();
    // server.close() stops listening and closes idle keep-alive sockets at once; its callback runs
    // when every connection, upgraded ones included, is gone.
    const drained = new Promise<void>((resolve) => server.close(() => resolve()));
    const sweep = setInterval(() => server.closeIdleConnections(), SWEEP_MS);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, options.timeout);
    });
    const forced = deadline.then(() => {
      server.closeAllConnections();
      for (const socket of upgraded) socket.destroy();
    });
    await Promise.race([runHooks(), deadline]);
    await Promise.race([drained, forced.then(() => drained)]);
    clearInterval(sweep);
    clearTimeout(timer);
  }

  function once(): Promise<void> {
    closed ??= close();
    return closed;
  }

  return {
    close: once,
    /** SIGTERM/SIGINT: shut down and exit 0; a second signal exits 1 at once. Returns the detacher. */
    handleSignals(): () => void {
      const onSignal = (signal: NodeJS.Signals) => {
        if (closed !== undefined) {
          logger.warn(`tandem: ${signal} again, exiting without waiting`);
          process.exit(1);
        }
        logger.info(`tandem: ${signal} received, shutting down`);
        once().then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error("tandem: shutdown failed", error);
            process.exit(1);
          },
        );
      };
      process.on("SIGTERM", onSignal);
      process.on("SIGINT", onSignal);
      return () => {
        process.off("SIGTERM", onSignal);
        process.off("SIGINT", onSignal);
      };
    },
  };
}
