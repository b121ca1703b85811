import { createBoard, listBoards } from "@/lib/boards";
import { readObject, text } from "@/lib/input";

export function GET() {
  return Response.json(listBoards());
}

export async function POST(request: Request) {
  const body = await readObject(request);
  const board = createBoard(text(body, "title", { required: true, max: 200 })!);
  return Response.json(board, { status: 201, headers: { location: `/api/boards/${board.id}` } });
}
