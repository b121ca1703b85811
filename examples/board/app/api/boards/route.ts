import { z } from "zod";
import { defineHandler, reply } from "tandem/server";
import { createBoard, listBoards } from "@/lib/boards";
import { BoardSchema, Title } from "@/lib/schemas";

export const GET = defineHandler({ response: z.array(BoardSchema), summary: "List boards" }, () => listBoards());

export const POST = defineHandler(
  { body: z.object({ title: Title }), response: { 201: BoardSchema }, summary: "Create a board" },
  ({ body }) => {
    const board = createBoard(body.title);
    return reply(board, { status: 201, headers: { location: `/api/boards/${board.id}` } });
  },
);
