import { timingSafeEqual } from "node:crypto";
import { type NextRequest, NextResponse } from "next/server";

const CHALLENGE = { "www-authenticate": 'Basic realm="admin", charset="UTF-8"' };

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// The jobs dashboard (/_tandem/jobs) shows every job's payload: it asks for ADMIN_TOKEN as the
// password of HTTP basic auth (any user name). Without ADMIN_TOKEN it stays closed.
export function middleware(request: NextRequest) {
  const token = process.env.ADMIN_TOKEN;
  if (!token) return new NextResponse("Set ADMIN_TOKEN to open the jobs dashboard.\n", { status: 401, headers: CHALLENGE });
  const [scheme, encoded] = (request.headers.get("authorization") ?? "").split(" ");
  const password = scheme === "Basic" && encoded ? Buffer.from(encoded, "base64").toString().split(":").slice(1).join(":") : "";
  if (!same(password, token)) return new NextResponse("Wrong or missing password.\n", { status: 401, headers: CHALLENGE });
  return NextResponse.next();
}

export const config = { matcher: "/_tandem/:path*" };
