import { next } from "tandem/server";

const TOKEN = process.env.BENCH_TOKEN ?? "bench-token";

export function middleware(request: Request) {
  if (request.headers.get("authorization") !== `Bearer ${TOKEN}`) {
    return Response.json({ error: "unauthorized" }, { status: 401 });
  }
  return next({ headers: { "x-bench-mw": "ok" } });
}

export const config = { matcher: "/mw/:path*" };
