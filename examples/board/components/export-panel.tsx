"use client";
import { useState } from "react";
import { useTopic } from "tandem/realtime/client";
import type { RealtimeClient } from "tandem/realtime/client";
import type { JobEvent } from "tandem/jobs";
import { startExportAction } from "@/app/actions";

export interface Export {
  id: string;
  /** The job's status URL. */
  status: string;
  state: string;
  progress: number;
  message: string;
  error: string | null;
}

/**
 * Starts the export-board background job (a form posting to a Server Action, which shows the board
 * again at `?export=<job id>`) and shows its progress live: the job's events arrive on the topic
 * `jobs:<id>` over the board's socket, with no polling and no glue code on the server. Without
 * JavaScript the page shows where the job was when it rendered, and a link to look again.
 */
export function ExportPanel(props: { boardId: string; initial?: Export | undefined; client: RealtimeClient<unknown, unknown> | null }) {
  const { boardId, client } = props;
  const [job, setJob] = useState<Export | null>(props.initial ?? null);

  useTopic<JobEvent>(client, job ? `jobs:${job.id}` : null, {
    subscribe: true,
    // Events are at-most-once: once the server confirms the subscription none is missed, so read
    // where the job got to before that (it may have finished already) over HTTP.
    onSubscribed() {
      if (job !== null) void refresh(job.id, job.status);
    },
    onMessage(event) {
      setJob((current) => {
        if (current === null || event.id !== current.id) return current;
        if (event.type === "progress") return { ...current, progress: event.progress, message: event.message ?? current.message };
        if (event.type === "state") return { ...current, state: event.state, error: event.error ?? null };
        return current;
      });
    },
  });

  async function refresh(id: string, status: string) {
    const now = (await (await fetch(status)).json()) as { state: string; progress: number; message: string | null };
    // An event may have arrived meanwhile: a finished job, or more progress, wins.
    setJob((current) => {
      if (current?.id !== id || current.state === "completed" || current.state === "failed") return current;
      if (now.state !== "completed" && now.state !== "failed" && now.progress < current.progress) return current;
      return { ...current, state: now.state, progress: now.progress, message: now.message ?? current.message };
    });
  }

  const running = job !== null && job.state !== "completed" && job.state !== "failed";
  return (
    <section aria-label="Export" className="export">
      <form action={startExportAction}>
        <input type="hidden" name="boardId" value={boardId} />
        <button type="submit" name="format" value="csv" disabled={running}>
          Export CSV
        </button>{" "}
        <button type="submit" name="format" value="json" disabled={running}>
          Export JSON
        </button>
      </form>
      {job ? (
        <p>
          <progress max={100} value={job.progress} /> <span id="export-state">{job.state}</span> {job.message}
          {job.state === "completed" ? (
            <>
              {" "}
              ·{" "}
              <a id="export-download" href={`/api/exports/${job.id}/file`}>
                Download
              </a>
            </>
          ) : null}
          {job.error ? <span className="error"> {job.error}</span> : null}
          {running ? (
            <noscript>
              {" "}
              · <a href={`?export=${encodeURIComponent(job.id)}`}>Check again</a>
            </noscript>
          ) : null}
        </p>
      ) : null}
    </section>
  );
}
