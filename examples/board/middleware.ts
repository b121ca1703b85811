import { NextResponse, type NextRequest } from "next/server";

// Writes need the board token, sent as `Authorization: Bearer <token>` or the `board_session` cookie.
// BOARD_TOKEN overrides the embedded development default.
const token = process.env.BOARD_TOKEN ?? "dev-token";

export function middleware(request: NextRequest) {
  if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") {
    return NextResponse.next();
  }
  const bearer = request.headers.get("authorization");
  const cookie = request.cookies.get("board_session")?.value;
  if (bearer === `Bearer ${token}` || cookie === token) return NextResponse.next();
  return NextResponse.json(
    { error: { code: "UNAUTHORIZED", message: "Writes need Authorization: Bearer <token>." } },
    { status: 401, headers: { "www-authenticate": 'Bearer realm="board"' } },
  );
}

export const config = { matcher: "/api/:path*" };
