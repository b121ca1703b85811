"use client";
import { useActionState } from "react";
import { createBoardAction, type FormState } from "@/app/actions";

export function NewBoardForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(createBoardAction, {});
  return (
    <form action={action} className="inline">
      <input name="title" placeholder="New board" aria-label="Board title" />
      <button type="submit" disabled={pending}>
        Add board
      </button>
      {state.error ? (
        <p role="alert" className="error">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}
