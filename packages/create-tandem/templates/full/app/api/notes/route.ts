import { type NextRequest, NextResponse } from "next/server";
import { addNote, listNotes, noteText } from "@/lib/notes";

export function GET() {
  return NextResponse.json(listNotes());
}

// POST /api/notes {"text": "..."}: the same as the page's form, for scripts and other clients.
export async function POST(request: NextRequest) {
  const body = (await request.json().catch(() => null)) as { text?: unknown } | null;
  const checked = noteText(body?.text);
  if ("error" in checked) return NextResponse.json({ error: checked.error }, { status: 400 });
  return NextResponse.json(await addNote(checked.text), { status: 201 });
}
