import { type NextRequest, NextResponse } from "next/server";
import { greet } from "@/lib/greeting";

// GET /api/hello?name=Ada -> {"message":"Hello, Ada!","at":"..."}. A Next.js route handler runs unchanged.
export function GET(request: NextRequest) {
  const name = request.nextUrl.searchParams.get("name")?.trim() || "world";
  if (name.length > 100) return NextResponse.json({ error: "name is longer than 100 characters" }, { status: 400 });
  return NextResponse.json(greet(name));
}
