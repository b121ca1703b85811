"use client";
import { useState } from "react";
import type { JobEvent } from "tandem/jobs";
import { type RealtimeClient, useSocket, useTopic } from "tandem/realtime/client";
import { startReport } from "@/app/actions";
import type { Note } from "@/lib/notes";

/** The notes as the server rendered them, then every note added since, from the page's socket. */
export function LiveNotes({ initial }: { initial: Note[] }) {
  const [notes, setNotes] = useState(initial);
  const { client, state } = useSocket("/live");
  useTopic<Note>(client, "notes", {
    onMessage: (note) => setNotes((current) => (current.some((n) => n.id === note.id) ? current : [note, ...current])),
  });
  return (
    <>
      <p>
        <small>live: {state}</small>
      </p>
      <ul>
        {notes.map((note) => (
          <li key={note.id}>{note.text}</li>
        ))}
      </ul>
      <Report client={client} />
    </>
  );
}

interface Progress {
  id: string;
  state: string;
  progress: number;
  message: string;
}

/** Starts the report job (a Server Action) and shows each step as the worker reports it. */
function Report({ client }: { client: RealtimeClient<unknown, unknown> | null }) {
  const [job, setJob] = useState<Progress | null>(null);
  useTopic<JobEvent>(client, job ? `jobs:${job.id}` : null, {
    subscribe: true,
    onMessage(event) {
      setJob((current) => {
        if (current === null || event.id !== current.id) return current;
        if (event.type === "progress") return { ...current, progress: event.progress, message: event.message ?? "" };
        if (event.type === "state") return { ...current, state: event.state };
        return current;
      });
    },
  });
  const running = job !== null && job.state !== "completed" && job.state !== "failed";
  return (
    <section aria-label="Report">
      <button
        type="button"
        disabled={running}
        onClick={async () => setJob({ ...(await startReport()), state: "waiting", progress: 0, message: "" })}
      >
        Count the words (a background job)
      </button>
      {job ? (
        <p>
          <progress max={100} value={job.progress} /> {job.state} {job.message}
        </p>
      ) : null}
    </section>
  );
}
