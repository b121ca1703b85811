import { NextResponse, type NextRequest } from "next/server";

const TOKEN = process.env.BENCH_TOKEN ?? "bench-token";

export function proxy(request: NextRequest) {
  if (request.headers.get("authorization") !== `Bearer ${TOKEN}`) {
    return NextResponse.json({ error: "unauthorized" }, { status: 401 });
  }
  const response = NextResponse.next();
  response.headers.set("x-bench-mw", "ok");
  return response;
}

export const config = { matcher: "/mw/:path*" };
