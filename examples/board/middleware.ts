import { NextResponse, type NextRequest } from "next/server";
import { boardToken, SESSION_COOKIE } from "@/lib/session";

// Every write (API calls and Server Actions alike) needs the board token, as
// `Authorization: Bearer <token>` or the session cookie that /signin sets. Reads are public.
// The jobs dashboard (/_tandem/jobs) needs the token for reads too.
export function middleware(request: NextRequest) {
  const isRead = request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS";
  if (isRead && !request.nextUrl.pathname.startsWith("/_tandem")) return NextResponse.next();
  const token = boardToken();
  if (request.headers.get("authorization") === `Bearer ${token}`) return NextResponse.next();
  if (request.cookies.get(SESSION_COOKIE)?.value === token) return NextResponse.next();
  if (isRead) return NextResponse.redirect(new URL(`/signin?next=${encodeURIComponent(request.nextUrl.pathname)}`, request.url));
  return NextResponse.json(
    { error: { code: "UNAUTHORIZED", message: "Writes need Authorization: Bearer <token> or a session from /signin." } },
    { status: 401, headers: { "www-authenticate": 'Bearer realm="board"' } },
  );
}

// Everything but the client bundle, the sign-in page itself (its form posts without a session)
// and the load balancer's health probes.
export const config = { matcher: "/((?!assets/|signin|_tandem/health$|_tandem/ready$).*)" };
