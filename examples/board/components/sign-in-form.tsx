"use client";
import { useActionState } from "react";
import { signIn, type FormState } from "@/app/actions";

export function SignInForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(signIn, {});
  return (
    <form action={action} className="stack">
      <input type="hidden" name="next" value={next} />
      <label>
        Token <input name="token" type="password" autoComplete="current-password" required />
      </label>
      {state.error ? (
        <p role="alert" className="error">
          {state.error}
        </p>
      ) : null}
      <button type="submit" disabled={pending}>
        Sign in
      </button>
    </form>
  );
}
