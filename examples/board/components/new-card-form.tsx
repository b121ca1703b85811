"use client";
import { useActionState } from "react";
import { addCardAction, type FormState } from "@/app/actions";

/** Works without JavaScript too: the form posts, the action runs, the page renders its result. */
export function NewCardForm({ boardId }: { boardId: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(addCardAction, {});
  return (
    <form action={action} className="stack" id="new-card">
      <input type="hidden" name="boardId" value={boardId} />
      <input name="title" placeholder="Card title" aria-label="Card title" />
      <textarea name="body" placeholder="Details (optional)" aria-label="Card details" />
      {state.error ? (
        <p role="alert" className="error">
          {state.error}
        </p>
      ) : null}
      <button type="submit" disabled={pending}>
        Add card
      </button>
    </form>
  );
}
