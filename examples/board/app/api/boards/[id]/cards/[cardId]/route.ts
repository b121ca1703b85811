import { z } from "zod";
import { defineHandler, notFound } from "tandem/server";
import { deleteCard, moveCard, updateCard } from "@/lib/boards";
import { publishBoardEvent } from "@/lib/live";
import { CardRef, CardSchema, Title } from "@/lib/schemas";

export const PATCH = defineHandler(
  {
    params: CardRef,
    body: z.object({ title: Title.optional(), body: z.string().max(5000).optional(), position: z.number().int().min(0).optional() }),
    response: CardSchema,
    summary: "Edit or move a card",
  },
  async ({ params, body }) => {
    const { id, cardId } = params;
    const patch: { title?: string; body?: string } = {};
    if (body.title !== undefined) patch.title = body.title;
    if (body.body !== undefined) patch.body = body.body;
    const card = updateCard(id, cardId, patch) ?? notFound();
    // A new position renumbers the board's cards so that positions stay unique.
    const moved = body.position === undefined ? [] : (moveCard(id, cardId, body.position) ?? []);
    const final = moved.find((c) => c.id === cardId) ?? card;
    for (const changed of [final, ...moved.filter((c) => c.id !== cardId)])
      await publishBoardEvent(id, { type: "card.updated", card: changed });
    return final;
  },
);

export const DELETE = defineHandler({ params: CardRef, summary: "Delete a card" }, async ({ params }) => {
  if (!deleteCard(params.id, params.cardId)) notFound();
  await publishBoardEvent(params.id, { type: "card.deleted", cardId: params.cardId });
  return new Response(null, { status: 204 });
});
