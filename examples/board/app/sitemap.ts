import { listBoards } from "@/lib/boards";

const base = process.env.BOARD_URL ?? "http://localhost:3000";

export default function sitemap() {
  return [{ url: `${base}/` }, ...listBoards().map((board) => ({ url: `${base}/boards/${board.id}`, lastModified: board.createdAt }))];
}
