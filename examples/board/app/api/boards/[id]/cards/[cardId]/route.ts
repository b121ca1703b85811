import { HttpError, notFound } from "tandem/server";
import { deleteCard, moveCard, updateCard } from "@/lib/boards";
import { readObject, text } from "@/lib/input";
import { publishBoardEvent } from "@/lib/live";

type Context = { params: Promise<{ id: string; cardId: string }> };

export async function PATCH(request: Request, { params }: Context) {
  const { id, cardId } = await params;
  const body = await readObject(request);
  const position = body.position;
  if (position !== undefined && (!Number.isInteger(position) || (position as number) < 0)) {
    throw new HttpError("INVALID_INPUT", `"position" must be a non-negative integer.`, { status: 400 });
  }
  const patch: { title?: string; body?: string } = {};
  const title = text(body, "title", { required: false, max: 200 });
  const cardBody = text(body, "body", { required: false, max: 5000 });
  if (title !== undefined) patch.title = title;
  if (cardBody !== undefined) patch.body = cardBody;
  const card = updateCard(id, cardId, patch) ?? notFound();
  // A new position renumbers the board's cards so that positions stay unique.
  const moved = position === undefined ? [] : (moveCard(id, cardId, position as number) ?? []);
  const final = moved.find((c) => c.id === cardId) ?? card;
  for (const changed of [final, ...moved.filter((c) => c.id !== cardId)]) await publishBoardEvent(id, { type: "card.updated", card: changed });
  return Response.json(final);
}

export async function DELETE(_request: Request, { params }: Context) {
  const { id, cardId } = await params;
  if (!deleteCard(id, cardId)) notFound();
  await publishBoardEvent(id, { type: "card.deleted", cardId });
  return new Response(null, { status: 204 });
}
