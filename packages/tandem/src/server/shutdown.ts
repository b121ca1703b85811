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
// How long the server keeps listening and keeps idle keep-alive connections once shutdown began
// (at most shutdownTimeout). A client may have sent its next request, or opened a connection,
// just before it heard of the shutdown: closing under it resets the request (a POST then simply
// fails); answering it with 503 and Connection: close tells the client to go elsewhere. Requests
// on their way arrive within milliseconds; the window is short because every shutdown lasts at
// least this long. A request or connection can still cross the close at its end: HTTP/1.1 has no
// way to tell an idle client, or one that is connecting, to stop.
const IDLE_GRACE_MS = 250;
// Turns of the event loop the listener stays open after the grace while each accepts connections.
const MAX_WAIT_TURNS = 20;

function sweep(server: Server, sockets: Set<Socket>): void {
  // After the poll phase: a request that reached the kernel by now is read and parsed first, so
  // its connection is busy (and gets its 503) instead of idle and closed under it.
  setImmediate(() => {
    server.closeIdleConnections();
    // node:http does not count a connection that never sent a byte (a client's preconnect) as idle.
    for (const socket of sockets) if (socket.bytesRead === 0) socket.destroy();
  });
}

/**
 * Graceful shutdown in the order load balancers expect: answer every new request with 503 and
 * close its connection, stop accepting and close idle sockets after a short grace, let in-flight
 * requests finish, run the features' hooks, and at the deadline destroy whatever is left, upgraded
 * sockets included.
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
    // The grace: the server still listens and keeps every connection, and whatever request
    // arrives gets 503 + Connection: close. Then http.Server's close() stops listening, closes
    // the idle connections and stops node's header and request timeout checks; its callback runs
    // when every connection, upgraded ones included, is gone. Closing the listener at once would
    // reset the connections the kernel had completed but node had not accepted yet (all of a
    // load balancer's fresh ones under load), as closing idle connections at once resets the
    // requests already on their way on them.
    let sweeper: NodeJS.Timeout | undefined;
    let grace: NodeJS.Timeout | undefined;
    // Connections accepted in the current turn's poll phase: node reads a socket only in the poll
    // phase after the one that accepted it, so until then it counts as idle and close() resets it.
    let accepted = false;
    const onConnection = (): void => void (accepted = true);
    server.on("connection", onConnection);
    const drained = new Promise<void>((resolve) => {
      let turns = 0;
      const stop = (): void => {
        // A loop that was busy for the whole grace (a loaded machine) accepts every connection the
        // kernel completed meanwhile in one poll phase, just before this: wait a turn for it to read
        // their requests (they get 503 + Connection: close), as long as new ones keep coming, up to
        // a bound, since a connection can always cross the close.
        if (accepted && turns++ < MAX_WAIT_TURNS) {
          accepted = false;
          setImmediate(stop);
          return;
        }
        server.off("connection", onConnection);
        server.close(() => resolve());
        sweep(server, sockets);
        sweeper = setInterval(() => sweep(server, sockets), SWEEP_MS);
      };
      // After the poll phase, not in this timers phase: the poll phase accepts what the kernel has.
      grace = setTimeout(() => setImmediate(stop), Math.min(IDLE_GRACE_MS, options.timeout));
    });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, options.timeout);
    });
    const forced = deadline.then(() => {
      for (const socket of sockets) socket.destroy();
    });
    await Promise.race([runHooks(), deadline]);
    await Promise.race([drained, forced.then(() => drained)]);
    clearTimeout(grace);
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
