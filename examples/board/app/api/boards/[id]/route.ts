import { notFound } from "tandem/server";
import { deleteBoard, getBoard, listCards, renameBoard } from "@/lib/boards";
import { readObject, text } from "@/lib/input";

type Context = { params: Promise<{ id: string }> };

export async function GET(_request: Request, { params }: Context) {
  const { id } = await params;
  const board = getBoard(id) ?? notFound();
  return Response.json({ ...board, cards: listCards(id) });
}

export async function PATCH(request: Request, { params }: Context) {
  const { id } = await params;
  const body = await readObject(request);
  const board = renameBoard(id, text(body, "title", { required: true, max: 200 })!) ?? notFound();
  return Response.json(board);
}

export async function DELETE(_request: Request, { params }: Context) {
  const { id } = await params;
  if (!deleteBoard(id)) notFound();
  return new Response(null, { status: 204 });
}
