import type { Server } from "node:http";
import type { Socket } from "node:net";

export interface ShutdownOptions {
  server: Server;
  /** Every accepted socket, upgraded ones included. */
  sockets: Set<Socket>;
  hooks: Array<() => void | Promise<void>>;
  timeout: number;
  logger: Pick<Console, "error" | "warn" | "info">;
  /** Flips the server into "answer 503 + Connection: close". */
  begin(): void;
}

// How often idle sockets are swept during shutdown: a socket whose in-flight request just finished
// becomes idle without telling anyone.
const SWEEP_MS = 25;

function sweep(server: Server, sockets: Set<Socket>): void {
  server.closeIdleConnections();
  // node:http does not count a connection that never sent a byte (a client's preconnect) as idle.
  for (const socket of sockets) if (socket.bytesRead === 0) socket.destroy();
}

/**
 * Graceful shutdown in the order load balancers expect: stop accepting, close idle sockets, let
 * in-flight requests finish (new ones on open sockets get 503), run the features' hooks, and at the
 * deadline destroy whatever is left, upgraded sockets included.
 */
export function createShutdown(options: ShutdownOptions) {
  const { server, sockets, logger } = options;
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
    sweep(server, sockets);
    const sweeper = setInterval(() => sweep(server, sockets), SWEEP_MS);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, options.timeout);
    });
    const forced = deadline.then(() => {
      for (const socket of sockets) socket.destroy();
    });
    await Promise.race([runHooks(), deadline]);
    await Promise.race([drained, forced.then(() => drained)]);
    clearInterval(sweeper);
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
