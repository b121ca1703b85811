import { HttpError, notFound } from "tandem/server";
import { getCard, moveCard } from "@/lib/boards";
import { readObject } from "@/lib/input";
import { publishBoardEvent } from "@/lib/live";

type Context = { params: Promise<{ id: string; cardId: string }> };

/** POST { position }: moves a card; everyone looking at the board sees it move. */
export async function POST(request: Request, { params }: Context) {
  const { id, cardId } = await params;
  const { position } = await readObject(request);
  if (!Number.isInteger(position) || (position as number) < 0) {
    throw new HttpError("INVALID_INPUT", `"position" must be a non-negative integer.`, { status: 400 });
  }
  const changed = moveCard(id, cardId, position as number) ?? notFound();
  for (const card of changed) await publishBoardEvent(id, { type: "card.updated", card });
  return Response.json(getCard(id, cardId));
}
