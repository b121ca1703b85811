import { randomUUID } from "node:crypto";
import { publish } from "tandem/realtime";

export interface Note {
  id: string;
  text: string;
  createdAt: string;
}

/** The topic every page's socket subscribes to: a note added anywhere shows up everywhere. */
export const NOTES_TOPIC = "notes";
export const MAX_NOTE = 500;

// In memory, so the app runs with nothing to set up; replace these functions with your database.
const notes: Note[] = [];

export function listNotes(): Note[] {
  return [...notes];
}

/** Stores a note and tells every open page (on every instance, when REDIS_URL is set). */
export async function addNote(text: string): Promise<Note> {
  const note: Note = { id: randomUUID(), text, createdAt: new Date().toISOString() };
  notes.unshift(note);
  await publish(NOTES_TOPIC, note);
  return note;
}

/** The note text from a form field or a JSON body, or why it cannot be one. */
export function noteText(value: unknown): { text: string } | { error: string } {
  const text = typeof value === "string" ? value.trim() : "";
  if (text === "") return { error: "Write something first." };
  if (text.length > MAX_NOTE) return { error: `A note holds up to ${MAX_NOTE} characters.` };
  return { text };
}
