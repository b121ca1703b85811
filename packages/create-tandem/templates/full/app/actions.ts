"use server";
import report from "@/jobs/report";
import { addNote, noteText } from "@/lib/notes";

export interface NoteFormState {
  error?: string;
  added?: number;
}

// Works as a plain form post before the page's JavaScript loads (and without it).
export async function addNoteAction(state: NoteFormState, form: FormData): Promise<NoteFormState> {
  const checked = noteText(form.get("text"));
  if ("error" in checked) return { error: checked.error };
  await addNote(checked.text);
  return { added: (state.added ?? 0) + 1 };
}

/** Enqueues the report job; the page follows it on the topic `jobs:<id>`. */
export async function startReport(): Promise<{ id: string }> {
  return report.enqueue({ steps: 10 });
}
