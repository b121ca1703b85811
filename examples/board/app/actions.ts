"use server";
import { cookies, redirect } from "tandem/server";
import { createBoard, createCard, deleteCard, getBoard, moveCard } from "@/lib/boards";
import exportBoard from "@/jobs/export-board";
import { publishBoardEvent } from "@/lib/live";
import { boardToken, isSignedIn, SESSION_COOKIE } from "@/lib/session";

export interface FormState {
  error?: string;
  ok?: boolean;
}

function title(form: FormData, field = "title"): string | undefined {
  const value = form.get(field);
  return typeof value === "string" && value.trim() !== "" && value.length <= 200 ? value.trim() : undefined;
}

// The middleware already refused writes without a session; checking again here keeps each action
// safe on its own (middleware is not the only line of defense).
async function requireSession(): Promise<void> {
  if (!(await isSignedIn())) redirect("/signin");
}

export async function signIn(_state: FormState, form: FormData): Promise<FormState> {
  if (form.get("token") !== boardToken()) return { error: "That token is not right." };
  (await cookies()).set(SESSION_COOKIE, boardToken(), { httpOnly: true, sameSite: "lax", path: "/", maxAge: 60 * 60 * 24 * 7 });
  const next = form.get("next");
  redirect(typeof next === "string" && next.startsWith("/") && !next.startsWith("//") ? next : "/");
}

export async function signOut(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
  redirect("/");
}

export async function createBoardAction(_state: FormState, form: FormData): Promise<FormState> {
  await requireSession();
  const name = title(form);
  if (name === undefined) return { error: "Give the board a title (up to 200 characters)." };
  const board = createBoard(name);
  redirect(`/boards/${board.id}`);
}

// The board id travels as a form field rather than a bound argument: React's server rendering of
// useActionState hangs on a bound action's form state (seen with react-dom 19.3 and plugin-rsc 0.5).
export async function addCardAction(_state: FormState, form: FormData): Promise<FormState> {
  await requireSession();
  const boardId = form.get("boardId");
  if (typeof boardId !== "string" || getBoard(boardId) === undefined) return { error: "This board no longer exists." };
  const name = title(form);
  if (name === undefined) return { error: "A card needs a title (up to 200 characters)." };
  const body = form.get("body");
  const card = createCard(boardId, name, typeof body === "string" ? body.slice(0, 5000) : "");
  await publishBoardEvent(boardId, { type: "card.created", card });
  return { ok: true };
}

export async function moveCardAction(boardId: string, cardId: string, position: number): Promise<void> {
  await requireSession();
  if (!Number.isInteger(position) || position < 0) throw new Error("position must be a non-negative integer");
  for (const card of moveCard(boardId, cardId, position) ?? []) await publishBoardEvent(boardId, { type: "card.updated", card });
}

export async function deleteCardAction(boardId: string, cardId: string): Promise<void> {
  await requireSession();
  if (deleteCard(boardId, cardId)) await publishBoardEvent(boardId, { type: "card.deleted", cardId });
}

// The forms behind ↑ ↓ ✕ and Export: they post without JavaScript too (the page then reloads on
// the board); with JavaScript React calls the same actions without leaving the page.
const field = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

export async function moveCardFormAction(form: FormData): Promise<void> {
  const boardId = field(form, "boardId");
  const position = Number(field(form, "position"));
  if (!Number.isInteger(position) || position < 0) redirect(`/boards/${encodeURIComponent(boardId)}`);
  await moveCardAction(boardId, field(form, "cardId"), position);
  redirect(`/boards/${encodeURIComponent(boardId)}`);
}

export async function deleteCardFormAction(form: FormData): Promise<void> {
  const boardId = field(form, "boardId");
  await deleteCardAction(boardId, field(form, "cardId"));
  redirect(`/boards/${encodeURIComponent(boardId)}`);
}

/** Starts the export job and shows the board with it: `?export=<job id>` (progress, then the download). */
export async function startExportAction(form: FormData): Promise<void> {
  await requireSession();
  const boardId = field(form, "boardId");
  if (getBoard(boardId) === undefined) redirect("/");
  const job = await exportBoard.enqueue({ boardId, format: field(form, "format") === "json" ? "json" : "csv" });
  redirect(`/boards/${encodeURIComponent(boardId)}?export=${encodeURIComponent(job.id)}`);
}
