import { z } from "zod";
import { defineHandler, notFound } from "tandem/server";
import { getCard, moveCard } from "@/lib/boards";
import { publishBoardEvent } from "@/lib/live";
import { CardRef, CardSchema } from "@/lib/schemas";

/** POST { position }: moves a card; everyone looking at the board sees it move. */
export const POST = defineHandler(
  { params: CardRef, body: z.object({ position: z.number().int().min(0) }), response: CardSchema, summary: "Move a card" },
  async ({ params, body }) => {
    const changed = moveCard(params.id, params.cardId, body.position) ?? notFound();
    for (const card of changed) await publishBoardEvent(params.id, { type: "card.updated", card });
    return getCard(params.id, params.cardId) ?? notFound();
  },
);
