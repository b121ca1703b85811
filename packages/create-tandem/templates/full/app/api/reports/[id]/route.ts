import report from "@/jobs/report";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const job = await report.get((await params).id);
  if (job === null) return Response.json({ error: "No such report." }, { status: 404 });
  return Response.json({ state: job.state, progress: job.progress, message: job.progressMessage, result: job.result ?? null });
}
