import { cookies } from "tandem/server";

export const SESSION_COOKIE = "board_session";

/** The one write token: BOARD_TOKEN, or the embedded development default. */
export function boardToken(): string {
  return process.env.BOARD_TOKEN ?? "dev-token";
}

/** For Server Components and actions; the middleware checks the same cookie on every write. */
export async function isSignedIn(): Promise<boolean> {
  return (await cookies()).get(SESSION_COOKIE)?.value === boardToken();
}
