import { z } from "zod";
import { defineHandler, notFound } from "tandem/server";
import { deleteBoard, getBoard, listCards, renameBoard } from "@/lib/boards";
import { BoardId, BoardSchema, CardSchema, Title } from "@/lib/schemas";

export const GET = defineHandler(
  { params: BoardId, response: BoardSchema.extend({ cards: z.array(CardSchema) }), summary: "A board with its cards" },
  ({ params }) => {
    const board = getBoard(params.id) ?? notFound();
    return { ...board, cards: listCards(params.id) };
  },
);

export const PATCH = defineHandler(
  { params: BoardId, body: z.object({ title: Title }), response: BoardSchema, summary: "Rename a board" },
  ({ params, body }) => renameBoard(params.id, body.title) ?? notFound(),
);

export const DELETE = defineHandler({ params: BoardId, summary: "Delete a board and its cards" }, ({ params }) => {
  if (!deleteBoard(params.id)) notFound();
  return new Response(null, { status: 204 });
});
