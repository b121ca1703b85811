import report from "@/jobs/report";

// POST /api/reports: starts the report job; follow it on the socket (topic jobs:<id>) or at the URL below.
export async function POST() {
  const { id } = await report.enqueue({ steps: 10 });
  return Response.json({ id, status: `/api/reports/${id}` }, { status: 202 });
}
