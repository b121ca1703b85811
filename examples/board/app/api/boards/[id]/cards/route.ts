import { notFound } from "tandem/server";
import { createCard, getBoard, listCards } from "@/lib/boards";
import { readObject, text } from "@/lib/input";

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
  return Response.json(card, { status: 201 });
}
