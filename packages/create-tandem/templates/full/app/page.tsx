import { LiveNotes } from "@/components/live-notes";
import { NoteForm } from "@/components/note-form";
import { listNotes } from "@/lib/notes";

// A Server Component: the notes are read on the server, so the first paint already shows them.
export default async function Home() {
  const notes = listNotes();
  return (
    <main>
      <h1>Notes</h1>
      <p>Open this page in two windows: a note added in one appears in the other at once.</p>
      <NoteForm />
      <LiveNotes initial={notes} />
    </main>
  );
}
