import { cookies } from "./request-context.js";

const COOKIE = "__prerender_bypass";
// Next.js checks the cookie against an id made per build; Tandem's is made per server process,
// so a client cannot turn draft mode on by setting the cookie itself. Draft mode therefore ends
// when the server restarts. On a global symbol so that every copy of this module agrees.
const KEY = Symbol.for("tandem.draft-mode.id");
function draftId(): string {
  return ((globalThis as Record<symbol, unknown>)[KEY] ??= crypto.randomUUID()) as string;
}

/** next/headers' draftMode() result. */
export interface DraftMode {
  readonly isEnabled: boolean;
  /** Sets the draft cookie (in a route handler or a Server Action). */
  enable(): void;
  /** Removes the draft cookie. */
  disable(): void;
}

/** Next.js's draft mode: a cookie that only this server can set, read in Server Components. */
export async function draftMode(): Promise<DraftMode> {
  const jar = await cookies();
  return {
    get isEnabled() {
      return jar.get(COOKIE)?.value === draftId();
    },
    enable: () => void jar.set(COOKIE, draftId(), { httpOnly: true, sameSite: "lax", path: "/" }),
    disable: () => void jar.delete(COOKIE),
  };
}
