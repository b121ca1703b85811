import { z } from "zod";
import { defineHandler, notFound, reply } from "tandem/server";
import { createCard, getBoard, listCards } from "@/lib/boards";
import { publishBoardEvent } from "@/lib/live";
import { BoardId, CardSchema, Title } from "@/lib/schemas";

export const GET = defineHandler({ params: BoardId, response: z.array(CardSchema), summary: "A board's cards in order" }, ({ params }) => {
  if (getBoard(params.id) === undefined) notFound();
  return listCards(params.id);
});

export const POST = defineHandler(
  {
    params: BoardId,
    body: z.object({ title: Title, body: z.string().max(5000).default("") }),
    response: { 201: CardSchema },
    summary: "Add a card at the end of the board",
  },
  async ({ params, body }) => {
    if (getBoard(params.id) === undefined) notFound();
    const card = createCard(params.id, body.title, body.body);
    await publishBoardEvent(params.id, { type: "card.created", card });
    return reply(card, { status: 201 });
  },
);
