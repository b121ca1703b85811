"use client";
import { useActionState } from "react";
import { addNoteAction, type NoteFormState } from "@/app/actions";

export function NoteForm() {
  const [state, action, pending] = useActionState<NoteFormState, FormData>(addNoteAction, {});
  return (
    // key: a fresh, empty form after each note that was added.
    <form action={action} key={state.added ?? 0}>
      <input name="text" placeholder="A new note" aria-label="Note" maxLength={500} required />{" "}
      <button type="submit" disabled={pending}>
        Add
      </button>
      {state.error ? <p role="alert">{state.error}</p> : null}
    </form>
  );
}
