import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { HttpError, notFound } from "tandem/server";
import exportBoard, { EXPORT_DIR } from "@/jobs/export-board";

type Context = { params: Promise<{ jobId: string }> };

export async function GET(_request: Request, { params }: Context) {
  const { jobId } = await params;
  const job = (await exportBoard.get(jobId)) ?? notFound();
  if (job.state !== "completed" || job.result === undefined) {
    throw new HttpError(409, "EXPORT_NOT_READY", `The export is ${job.state}; try again when it has completed.`);
  }
  // The file name comes from our own job result, never from the request.
  const body = await readFile(join(EXPORT_DIR, job.result.file));
  const type = job.result.format === "csv" ? "text/csv; charset=utf-8" : "application/json";
  return new Response(body, {
    headers: { "content-type": type, "content-disposition": `attachment; filename="board-export.${job.result.format}"` },
  });
}
