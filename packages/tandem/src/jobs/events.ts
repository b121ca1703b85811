import type { JobEvent } from "./types.js";

export type JobEventPublisher = (topic: string, event: JobEvent) => void;

let publisher: JobEventPublisher | null = null;
const listeners = new Set<(event: JobEvent) => void>();

/**
 * Plug the realtime feature's publish here. Events go to `jobs:<id>` and to `jobs`.
 * They are emitted by the process that runs the job, so a multi-process app needs a
 * publisher that fans out (the realtime feature's Redis fan-out does).
 */
export function setJobEventPublisher(next: JobEventPublisher | null): void {
  publisher = next;
}

/** In-process listeners (the dashboard's SSE stream). Returns an unsubscribe function. */
export function onJobEvent(listener: (event: JobEvent) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function emitJobEvent(event: JobEvent): void {
  // A broken publisher must never fail a job: events are best-effort, the store is the truth.
  try {
    publisher?.(`jobs:${event.id}`, event);
    publisher?.("jobs", event);
  } catch (error) {
    console.error("[tandem/jobs] event publisher threw:", error);
  }
  for (const listener of listeners) {
    try {
      listener(event);
    } catch (error) {
      console.error("[tandem/jobs] event listener threw:", error);
    }
  }
}
