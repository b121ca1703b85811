import { readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort, ServerProcess } from "./server-process.mjs";

// One run of a dev server (`tandem dev`, `next dev`) on a copy of an app: time from spawn to the
// first full page, then edits to a page and a route handler, each timed from just before the file
// is written to the first response that carries the change.

const START_TIMEOUT_MS = 120_000;
// An edit not served by then counts as lost (reported, not timed), and the run goes on.
const EDIT_TIMEOUT_MS = 10_000;
const POLL_MS = 2;
// After an edit is served, let the watcher and any HMR work settle before the next one, so one
// edit's rebuild is not timed as part of the next.
const SETTLE_MS = 300;

/** GET that resolves { status, text }, or null while nothing listens (or the request failed). */
async function get(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(30_000), headers: { "cache-control": "no-cache" } });
    return { status: res.status, text: await res.text() };
  } catch {
    return null;
  }
}

const excerpt = (text) => JSON.stringify(text.length > 160 ? `${text.slice(0, 160)}…` : text);

/**
 * Every dev server gets every core: the harness is pinned to one and its children inherit that,
 * which would hobble the multi-threaded parts of both bundlers (as for build times).
 */
function unpinned(pinning, cmd, args) {
  return pinning.enabled ? ["taskset", ["-c", `0-${cpus().length - 1}`, cmd, ...args]] : [cmd, args];
}

export class DevSession {
  #proc;
  #baseUrl;

  static async start({ pinning, command, app }) {
    const port = await freePort();
    const { cmd, args, cwd, env } = command(port);
    const [pinnedCmd, pinnedArgs] = unpinned(pinning, cmd, args);
    const session = new DevSession();
    const startedAt = performance.now();
    session.#proc = new ServerProcess({ cmd: pinnedCmd, args: pinnedArgs, cwd, env });
    session.#baseUrl = `http://127.0.0.1:${port}`;
    const listening = session.#proc.whenPrinted(app.listening);
    try {
      session.firstPageMs = await session.#firstPage(app.page, startedAt);
      const printedAt = await Promise.race([listening, 0]);
      session.listeningMs = printedAt ? printedAt - startedAt : undefined;
      session.cpuSecondsToFirstPage = session.#proc.cpuSeconds();
    } catch (error) {
      await session.stop();
      throw error;
    }
    return session;
  }

  /**
   * Polls until the page answers 200 with its content. A 200 without the content fails at once:
   * a dev server that answers blank pages must not be timed as if it worked.
   */
  async #firstPage(page, startedAt) {
    const url = this.#baseUrl + page.path;
    let exited = false;
    let last = "nothing listening";
    this.#proc.exited.then(() => (exited = true));
    while (performance.now() - startedAt < START_TIMEOUT_MS) {
      if (exited) throw new Error(`the dev server exited before serving ${page.path}\n${this.#proc.output}`);
      const res = await get(url);
      if (res?.status === 200) {
        if (page.isFull(res.text)) return performance.now() - startedAt;
        throw new Error(`GET ${page.path} answered 200 without ${page.expected}: ${res.text.length} bytes, ${excerpt(res.text)}`);
      }
      if (res) last = `${res.status} ${excerpt(res.text)}`;
      await sleep(POLL_MS);
    }
    throw new Error(`no full page at ${page.path} within ${START_TIMEOUT_MS} ms (last: ${last})\n${this.#proc.output}`);
  }

  /** Median ms of `count` GETs of an unchanged path, one after the other: the floor under an edit. */
  async latency(path, count) {
    const times = [];
    for (let i = 0; i < count; i++) {
      const startedAt = performance.now();
      const res = await get(this.#baseUrl + path);
      if (res?.status !== 200) throw new Error(`GET ${path} answered ${res ? res.status : "nothing"} between edits`);
      times.push(performance.now() - startedAt);
    }
    times.sort((a, b) => a - b);
    return times[times.length >> 1];
  }

  /** Asks for a path once, so that an edit later times a rebuild, not the route's first compile. */
  async warm(path, isCurrent) {
    const res = await get(this.#baseUrl + path);
    if (res?.status !== 200 || !isCurrent(res.text)) {
      throw new Error(`GET ${path} answered ${res ? `${res.status} ${excerpt(res.text)}` : "nothing"} before any edit`);
    }
  }

  /**
   * Rewrites `file` with `change(source)` and polls `path` until a 200 carries `marker`.
   * Returns ms from the write to that response, and how many stale answers came first; ms is
   * undefined when the change was not served within EDIT_TIMEOUT_MS (a lost edit).
   */
  async edit({ root, file, change, path, marker }) {
    const target = join(root, file);
    const source = change(readFileSync(target, "utf8"));
    const url = this.#baseUrl + path;
    const startedAt = performance.now();
    writeFileSync(target, source);
    let stale = 0;
    while (performance.now() - startedAt < EDIT_TIMEOUT_MS) {
      const res = await get(url);
      if (res?.status === 200 && res.text.includes(marker)) {
        const ms = performance.now() - startedAt;
        await sleep(SETTLE_MS);
        return { ms, stale };
      }
      stale++;
      await sleep(POLL_MS);
    }
    return { ms: undefined, stale, output: this.#proc.output.slice(-2000) };
  }

  stop() {
    return this.#proc.stop();
  }
}
