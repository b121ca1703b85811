/** Where a batch goes: process.stdout, whose writes to a pipe, file or terminal are synchronous on Linux. */
export interface LineSink {
  write(chunk: string): unknown;
}

const pending = new Set<TurnBatch>();
let exitHooked = false;

/**
 * pino's destination in production: the lines written during one turn of the event loop go out
 * in one write at its end (setImmediate), instead of a write system call per line. A busy server
 * answers many requests per turn, and the access log's line per request cost it more in system
 * calls than in serializing (issue 18's logging target; decision 0014). A quiet server loses
 * nothing: its line is written in the same turn. Lines still buffered when the process exits
 * (process.exit, an uncaught exception) are written by an 'exit' hook.
 */
export class TurnBatch {
  #sink: LineSink;
  #lines: string[] = [];
  #scheduled = false;

  constructor(sink: LineSink) {
    this.#sink = sink;
  }

  write(line: string): boolean {
    this.#lines.push(line);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.flush());
      pending.add(this);
      if (!exitHooked) {
        exitHooked = true;
        process.on("exit", flushAll);
      }
    }
    return true;
  }

  /** Writes what is buffered now (also called at the end of the turn and on exit). */
  flush(): void {
    this.#scheduled = false;
    pending.delete(this);
    if (this.#lines.length === 0) return;
    const chunk = this.#lines.length === 1 ? this.#lines[0]! : this.#lines.join("");
    this.#lines = [];
    this.#sink.write(chunk);
  }
}

function flushAll(): void {
  for (const batch of [...pending]) batch.flush();
}
