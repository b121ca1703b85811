import { freePort, ServerProcess } from "./server-process.mjs";

const SERVER_CORE = 0;
const READY_TIMEOUT_MS = 60_000;

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Spawn the server pinned to the server core and wait for the first 200 on `readyPath`. */
export async function launch(server, pinning, readyPath) {
  const port = await freePort();
  const { cmd, args, cwd, env } = server.start(port);
  const [pinnedCmd, pinnedArgs] = pinning.command(SERVER_CORE, cmd, args);
  const startedAt = performance.now();
  const proc = new ServerProcess({ cmd: pinnedCmd, args: pinnedArgs, cwd, env });
  try {
    const coldStartMs = await proc.waitReady(`http://127.0.0.1:${port}${readyPath}`, startedAt, READY_TIMEOUT_MS);
    return { proc, baseUrl: `http://127.0.0.1:${port}`, coldStartMs };
  } catch (error) {
    await proc.stop();
    throw error;
  }
}

/**
 * Cold start = spawn until the first 200, measured `times` times on fresh processes.
 * The last process is left running for the load phase, so the caller must stop it.
 */
export async function coldStarts(server, pinning, readyPath, times) {
  const samples = [];
  for (let i = 1; ; i++) {
    const running = await launch(server, pinning, readyPath);
    samples.push(running.coldStartMs);
    if (i === times) return { ...running, samples, medianMs: median(samples) };
    await running.proc.stop();
  }
}
