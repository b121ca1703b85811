import { HttpError, notFound } from "tandem/server";
import { deleteCard, updateCard } from "@/lib/boards";
import { readObject, text } from "@/lib/input";

type Context = { params: Promise<{ id: string; cardId: string }> };

export async function PATCH(request: Request, { params }: Context) {
  const { id, cardId } = await params;
  const body = await readObject(request);
  const position = body.position;
  if (position !== undefined && (!Number.isInteger(position) || (position as number) < 0)) {
    throw new HttpError("INVALID_INPUT", `"position" must be a non-negative integer.`, { status: 400 });
  }
  const patch: { title?: string; body?: string; position?: number } = {};
  const title = text(body, "title", { required: false, max: 200 });
  const cardBody = text(body, "body", { required: false, max: 5000 });
  if (title !== undefined) patch.title = title;
  if (cardBody !== undefined) patch.body = cardBody;
  if (position !== undefined) patch.position = position as number;
  return Response.json(updateCard(id, cardId, patch) ?? notFound());
}

export async function DELETE(_request: Request, { params }: Context) {
  const { id, cardId } = await params;
  if (!deleteCard(id, cardId)) notFound();
  return new Response(null, { status: 204 });
}
