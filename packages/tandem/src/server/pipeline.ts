import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";

/** Pipelined requests of one connection whose handlers may run at once. */
const IN_FLIGHT = 8;

type Run = (req: IncomingMessage, res: ServerResponse) => void;

/** One connection's pipelined requests: how many run, and those waiting their turn. */
interface Lane {
  running: number;
  waiting: Array<IncomingMessage | ServerResponse>;
  /** Whether the lane paused the socket (and must resume it). */
  paused: boolean;
}

/**
 * HTTP/1.1 pipelining, bounded. node:http starts a handler for every request it parses, and
 * queues the responses behind the one in front: a client that writes 10,000 requests and never
 * reads gets 10,000 handlers at once, each holding what it renders until the response ahead is
 * sent (hundreds of MB, seconds of latency for everyone else). Here a connection's pipelined
 * requests run IN_FLIGHT at a time; a request counts until its response has been handed to the
 * socket, so a client that does not read stops the next ones, and the socket is paused while
 * requests wait, so node reads no more of them. What one read already brought in (at most 64 KiB
 * of request heads) waits as parsed requests, not as running handlers.
 *
 * Only pipelined requests (a response already queued in front) come here: the usual request
 * pays one comparison in serve().
 */
export class PipelineLanes {
  readonly #lanes = new WeakMap<Socket, Lane>();
  readonly #run: Run;

  constructor(run: Run) {
    this.#run = run;
  }

  admit(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket;
    let lane = this.#lanes.get(socket);
    if (lane === undefined) {
      const fresh: Lane = { running: 0, waiting: [], paused: false };
      lane = fresh;
      this.#lanes.set(socket, fresh);
      // Parsed requests of a connection that is gone are never run.
      socket.once("close", () => {
        fresh.waiting.length = 0;
      });
    }
    if (lane.running < IN_FLIGHT && lane.waiting.length === 0) return this.#start(lane, req, res);
    lane.waiting.push(req, res);
    // Also when node resumed the socket on its own (its check of queued output).
    if (!socket.isPaused()) {
      socket.pause();
      lane.paused = true;
    }
  }

  #start(lane: Lane, req: IncomingMessage, res: ServerResponse): void {
    lane.running++;
    let counted = true;
    const done = () => {
      if (!counted) return;
      counted = false;
      res.off("finish", done);
      res.off("close", done);
      lane.running--;
      this.#next(lane, req.socket);
    };
    res.once("finish", done);
    res.once("close", done);
    this.#run(req, res);
  }

  #next(lane: Lane, socket: Socket): void {
    while (lane.running < IN_FLIGHT && lane.waiting.length > 0) {
      const req = lane.waiting.shift() as IncomingMessage;
      const res = lane.waiting.shift() as ServerResponse;
      if (socket.destroyed) continue;
      this.#start(lane, req, res);
    }
    if (lane.waiting.length === 0 && lane.paused) {
      lane.paused = false;
      if (!socket.destroyed) socket.resume();
    }
  }
}
