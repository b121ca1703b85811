import { defineJob } from "tandem/jobs";
import { z } from "zod";
import { listNotes } from "@/lib/notes";

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    // Removed when the pause ends: one listener per step would pile up on the job's signal.
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * jobs/report.ts is the job "report": it counts the words in every note, one step at a time, and
 * reports its progress after each step. The page that started it sees the steps live over its
 * socket (topic `jobs:<id>`); a worker that dies mid-way hands the job to another one.
 */
export default defineJob({
  schema: z.object({ steps: z.number().int().min(1).max(50).default(10) }),
  retries: { attempts: 3, backoff: "exponential", delay: 1000 },
  timeout: 60_000,
  async run({ steps }, ctx) {
    const notes = listNotes();
    let words = 0;
    for (let step = 1; step <= steps; step++) {
      // Stand-in for real work (a query, a file, an API call): replace it with yours.
      await pause(150, ctx.signal);
      for (const note of notes.filter((_, i) => i % steps === step - 1)) words += note.text.split(/\s+/).length;
      await ctx.progress(Math.round((step / steps) * 100), `step ${step} of ${steps}`);
    }
    await ctx.log(`counted ${words} words in ${notes.length} notes`);
    return { notes: notes.length, words };
  },
});
