import { notFound } from "tandem/server";
import exportBoard from "@/jobs/export-board";

type Context = { params: Promise<{ jobId: string }> };

export async function GET(_request: Request, { params }: Context) {
  const { jobId } = await params;
  const job = (await exportBoard.get(jobId)) ?? notFound();
  return Response.json({
    id: job.id,
    state: job.state,
    progress: job.progress,
    message: job.progressMessage ?? null,
    error: job.error?.message ?? null,
    download: job.state === "completed" ? `/api/exports/${job.id}/file` : null,
  });
}
