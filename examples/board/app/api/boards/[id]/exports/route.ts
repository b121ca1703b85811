import { notFound } from "tandem/server";
import exportBoard from "@/jobs/export-board";
import { getBoard } from "@/lib/boards";

type Context = { params: Promise<{ id: string }> };

/** Starts an export in the background; the client follows its progress at the returned URL. */
export async function POST(request: Request, { params }: Context) {
  const { id } = await params;
  if (getBoard(id) === undefined) notFound();
  const format = new URL(request.url).searchParams.get("format") === "json" ? "json" : "csv";
  const job = await exportBoard.enqueue({ boardId: id, format });
  return Response.json({ id: job.id, status: `/api/exports/${job.id}`, topic: `jobs:${job.id}` }, { status: 202 });
}
