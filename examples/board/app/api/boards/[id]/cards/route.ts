import { notFound } from "tandem/server";
import { createCard, getBoard, listCards } from "@/lib/boards";
import { readObject, text } from "@/lib/input";
import { publishBoardEvent } from "@/lib/live";

type Context = { params: Promise<{ id: string }> };

export async function GET(_request: Request, { params }: Context) {
  const { id } = await params;
  if (getBoard(id) === undefined) notFound();
  return Response.json(listCards(id));
}

export async function POST(request: Request, { params }: Context) {
  const { id } = await params;
  if (getBoard(id) === undefined) notFound();
  const body = await readObject(request);
  const card = createCard(id, text(body, "title", { required: true, max: 200 })!, text(body, "body", { required: false, max: 5000 }) ?? "");
  await publishBoardEvent(id, { type: "card.created", card });
  return Response.json(card, { status: 201 });
}
