// What every server in the HTTP suite agrees on, so run.mjs can start any of them the same way.
// A mistyped PORT must stop the server at once: a server that silently picks 3000 would make the
// harness measure whatever else is listening there.
export function portFromEnv() {
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`PORT must be an integer from 1 to 65535, got ${JSON.stringify(process.env.PORT)}`);
  }
  return port;
}

export const HOST = "127.0.0.1";
export const TOKEN = process.env.BENCH_TOKEN ?? "bench-token";
/** The middleware sets this response header, so the harness can check it really ran. */
export const MW_HEADER = "x-bench-mw";
