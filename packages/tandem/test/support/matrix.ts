// Every behaviour is checked twice (after h3's describeMatrix): against the in-memory fetch
// handler and against a real listening server reached with a real HTTP client.
import { after, before, describe } from "node:test";
import { serve, type RunningServer } from "tandem/node";

export type Fetch = (path: string, init?: RequestInit) => Promise<Response>;

interface Handler {
  fetch(request: Request): Promise<Response>;
  /** The app's synchronous-when-possible entry (what `tandem start` serves); preferred by the real server. */
  handle?(request: Request): Response | Promise<Response>;
  /** Maps what `handle`'s promise rejects with; served together with `handle`. */
  recover?(error: unknown, request: Request): Response;
}

export function describeMatrix(name: string, handler: () => Handler, body: (fetch: Fetch) => void): void {
  describe(`${name} (in memory)`, () => {
    const app = handler();
    body((path, init) => app.fetch(new Request(new URL(path, "http://localhost"), init)));
  });
  describe(`${name} (real server)`, () => {
    let server: RunningServer;
    before(async () => {
      const app = handler();
      const entry = app.handle === undefined ? { fetch: app.fetch } : { fetch: app.handle, recover: app.recover };
      server = await serve({ ...entry, port: 0, host: "127.0.0.1", handleSignals: false, logger: quietLogger });
    });
    after(() => server.close());
    body((path, init) => fetch(new URL(path, server.url), { redirect: "manual", ...init }));
  });
}

/** Collects logs instead of printing them, so tests can assert on what was logged. */
export const logged: unknown[][] = [];
export const quietLogger = {
  error: (...args: unknown[]) => void logged.push(args),
  warn: (...args: unknown[]) => void logged.push(args),
  info: () => {},
};
