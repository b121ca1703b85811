import { parseCommand } from "./args.js";
import { jobsContext } from "./jobs-context.js";
import { shutdownSignal } from "./signals.js";

export async function run(argv: string[]): Promise<number> {
  parseCommand("worker", argv);
  // Listen before loading the app, which runs its modules and can take a while: a SIGTERM then must
  // end the command cleanly, not through node's default action.
  const shutdown = shutdownSignal();
  try {
    const { argv: rest, ctx } = await jobsContext(argv, { instrument: true });
    const { run: worker } = await import("./worker.js");
    return await worker(rest, { ...ctx, shutdown });
  } finally {
    shutdown.dispose();
  }
}
