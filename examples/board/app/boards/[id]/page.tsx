import { notFound } from "tandem/server";
import { getBoard, listCards } from "@/lib/boards";
import { isSignedIn } from "@/lib/session";
import { LiveCards } from "@/components/live-cards";
import { NewCardForm } from "@/components/new-card-form";
import type { Export } from "@/components/export-panel";
import exportBoard from "@/jobs/export-board";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[]>> };

export async function generateMetadata({ params }: Props) {
  const { id } = await params;
  const board = getBoard(id);
  if (board === undefined) return { title: "Board not found" };
  const description = `${listCards(id).length} cards on “${board.title}”.`;
  return {
    title: board.title,
    description,
    alternates: { canonical: `/boards/${id}` },
    openGraph: { title: board.title, description, type: "website", url: `/boards/${id}` },
    twitter: { card: "summary" as const, title: board.title, description },
  };
}

/** The export started from this page (`?export=<job id>`, where startExportAction sends the browser). */
async function currentExport(boardId: string, jobId: unknown): Promise<Export | undefined> {
  if (typeof jobId !== "string" || jobId.length > 100) return undefined;
  const job = await exportBoard.get(jobId);
  if (job == null || (job.payload as { boardId?: unknown }).boardId !== boardId) return undefined;
  return {
    id: job.id,
    status: `/api/exports/${job.id}`,
    state: job.state,
    progress: job.progress,
    message: job.progressMessage ?? "",
    error: job.error?.message ?? null,
  };
}

export default async function BoardPage({ params, searchParams }: Props) {
  const { id } = await params;
  const board = getBoard(id) ?? notFound();
  const signedIn = await isSignedIn();
  const started = signedIn ? await currentExport(board.id, (await searchParams).export) : undefined;
  return (
    <main>
      <h1>{board.title}</h1>
      <LiveCards boardId={board.id} initial={listCards(board.id)} canEdit={signedIn} initialExport={started} />
      {signedIn ? (
        <NewCardForm boardId={board.id} />
      ) : (
        <p>
          <a href="/signin">Sign in</a> to edit this board.
        </p>
      )}
    </main>
  );
}
