import type { RouteContext } from "tandem/server";

export async function GET(_request: Request, { params }: RouteContext<{ id: string }>) {
  const { id } = await params;
  return Response.json({ id });
}
