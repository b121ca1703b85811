/** The first SIGTERM or SIGINT a worker-only command receives, and the process lifetime that waits for it. */
export interface ShutdownSignal {
  /** Resolves with the name of the first signal. */
  readonly received: Promise<NodeJS.Signals>;
  /** The signal, if one was sent before this call, even if node has not run the listener yet. */
  arrived(): Promise<NodeJS.Signals | undefined>;
  /** Stops listening and lets the process exit once its work is done; safe to call more than once. */
  dispose(): void;
}

// setInterval's longest delay; a longer one is clamped to 1 ms and would spin.
const TIMER_MAX = 2 ** 31 - 1;

/**
 * Listens from the moment it is called, so a command should call it before anything slow (loading
 * the app): an orchestrator may send SIGTERM at any time, and without a listener node's default
 * action kills the process instead of shutting it down.
 *
 * It also holds the process open until disposed. A worker-only process has no server socket, and
 * the SQLite driver's timers are unref'd on purpose (a worker inside a web server or a script must
 * not keep that process alive), so nothing else would keep the event loop running: the process
 * would exit as soon as the queue is empty, and a SIGTERM caught while node tears down (after it
 * has dropped the listeners) would kill it.
 */
export function shutdownSignal(): ShutdownSignal {
  let signal: NodeJS.Signals | undefined;
  let resolve!: (name: NodeJS.Signals) => void;
  const received = new Promise<NodeJS.Signals>((done) => (resolve = done));
  const keepAlive = setInterval(() => {}, TIMER_MAX);
  const onTerm = (): void => stop("SIGTERM");
  const onInt = (): void => stop("SIGINT");
  const unlisten = (): void => {
    process.off("SIGTERM", onTerm);
    process.off("SIGINT", onInt);
  };
  function stop(name: NodeJS.Signals): void {
    signal = name;
    // A second signal gets node's default action again: the way to stop a drain that takes too long.
    unlisten();
    resolve(name);
  }
  process.on("SIGTERM", onTerm);
  process.on("SIGINT", onInt);
  return {
    received,
    async arrived() {
      // Node runs signal listeners in the event loop's poll phase. Code resumed from a poll callback
      // (as after an import) reaches the next check phase before polling again, so one setImmediate
      // may come back too early (measured: it does); the second runs only after a full poll.
      await new Promise((done) => setImmediate(done));
      await new Promise((done) => setImmediate(done));
      return signal;
    },
    dispose() {
      unlisten();
      clearInterval(keepAlive);
    },
  };
}
